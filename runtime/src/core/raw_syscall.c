/* raw_syscall.c — system calls that never go through libc's `syscall`, which
 * the runtime intercepts (futex modelling), plus the futex park primitives of
 * the scheduler, an unbuffered stderr writer and a reader of
 * /proc/self/maps (no stdio, no malloc: before libc is ready, and in signal
 * handlers). */
#include "core/runtime.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>

/* noinline: the label after its `syscall` exists once, so that the
 * watchdog can tell a thread waiting inside the runtime from one waiting
 * in the program's or libc's own system call (sched/task_state.h). */
__attribute__((noinline)) long rc_raw_syscall(long number, long a1, long a2,
                                              long a3, long a4, long a5,
                                              long a6) {
  long ret;
  register long r10 __asm__("r10") = a4;
  register long r8 __asm__("r8") = a5;
  register long r9 __asm__("r9") = a6;
  __asm__ volatile("syscall\n"
                   ".globl rc_raw_syscall_return\n"
                   "rc_raw_syscall_return:"
                   : "=a"(ret)
                   : "a"(number), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8),
                     "r"(r9)
                   : "rcx", "r11", "memory");
  return ret; /* -errno on failure, like the kernel */
}

void rc_futex_wait(volatile uint32_t *word, uint32_t expected) {
  rc_raw_syscall(SYS_futex, (long)word, FUTEX_WAIT_PRIVATE, expected, 0, 0, 0);
}

void rc_futex_wake(volatile uint32_t *word, int count) {
  rc_raw_syscall(SYS_futex, (long)word, FUTEX_WAKE_PRIVATE, count, 0, 0, 0);
}

void rc_write_stderr(const char *s) {
  size_t left = strlen(s);
  while (left > 0) {
    long n = rc_raw_syscall(SYS_write, 2, (long)s, (long)left, 0, 0, 0);
    if (n == -4 /* EINTR */)
      continue;
    if (n <= 0)
      return;
    s += n;
    left -= (size_t)n;
  }
}

bool rc_proc_maps_scan(bool (*visit)(char *line, void *ctx), void *ctx) {
  long fd =
      rc_raw_syscall(SYS_open, (long)"/proc/self/maps", O_RDONLY, 0, 0, 0, 0);
  if (fd < 0)
    return false;
  static char buf[16384];
  size_t have = 0;
  bool stopped = false;
  while (!stopped) {
    long n = rc_raw_syscall(SYS_read, fd, (long)(buf + have),
                            (long)(sizeof buf - 1 - have), 0, 0, 0);
    if (n <= 0)
      break;
    have += (size_t)n;
    buf[have] = 0;
    char *line = buf, *nl;
    while (!stopped && (nl = strchr(line, '\n'))) {
      *nl = 0;
      stopped = visit(line, ctx);
      line = nl + 1;
    }
    have = (size_t)(buf + have - line);
    memmove(buf, line, have);
    if (have >= sizeof buf - 1)
      have = 0; /* absurdly long line: drop it */
  }
  rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
  return stopped;
}
