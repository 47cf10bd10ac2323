/* sched/task_state.c — reads a thread's kernel state from
 * /proc/self/task/TID (task_state.h) with raw system calls. */
#include "sched/task_state.h"

#include "core/runtime.h"

#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/syscall.h>

static char *append(char *p, const char *end, const char *s) {
  while (*s && p < end)
    *p++ = *s++;
  return p;
}

static char *append_number(char *p, const char *end, uint32_t v) {
  char digits[12];
  int n = 0;
  do
    digits[n++] = (char)('0' + v % 10);
  while ((v /= 10) && n < 11);
  while (n && p < end)
    *p++ = digits[--n];
  return p;
}

/* Reads /proc/PID/task/TID/<name> (PID 0: self) into buf (NUL-terminated);
 * its length, or -1. */
static long read_task_file(int32_t pid, int32_t tid, const char *name,
                           char *buf, long size) {
  char path[96];
  const char *end = path + sizeof path - 1;
  char *p = append(path, end, "/proc/");
  p = pid ? append_number(p, end, (uint32_t)pid) : append(p, end, "self");
  p = append(p, end, "/task/");
  p = append_number(p, end, (uint32_t)tid);
  p = append(p, end, "/");
  p = append(p, end, name);
  *p = 0;
  long fd = rc_raw_syscall(SYS_openat, AT_FDCWD, (long)path,
                           O_RDONLY | O_CLOEXEC, 0, 0, 0);
  if (fd < 0)
    return -1;
  long len = rc_raw_syscall(SYS_read, fd, (long)buf, size - 1, 0, 0, 0);
  rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
  if (len < 0)
    return -1;
  buf[len] = 0;
  return len;
}

char rc_task_state(int32_t tid) { return rc_task_state_in(0, tid); }

char rc_task_state_in(int32_t pid, int32_t tid) {
  char buf[512];
  long len = read_task_file(pid, tid, "stat", buf, sizeof buf);
  if (len <= 0)
    return 0;
  /* "TID (COMM) S ...": COMM may hold spaces and parentheses; the state
   * follows the last ')'. */
  long close = -1;
  for (long i = 0; i < len; i++)
    if (buf[i] == ')')
      close = i;
  return close >= 0 && close + 2 < len ? buf[close + 2] : 0;
}

static const char *parse_number(const char *s, int base, uint64_t *out) {
  uint64_t v = 0;
  if (base == 16 && s[0] == '0' && s[1] == 'x')
    s += 2;
  for (;; s++) {
    int d = *s >= '0' && *s <= '9'   ? *s - '0'
            : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
                                     : 99;
    if (d >= base)
      break;
    v = v * (uint64_t)base + (uint64_t)d;
  }
  *out = v;
  return s;
}

bool rc_task_syscall_of(int32_t tid, rc_task_syscall *out) {
  return rc_task_syscall_in(0, tid, out);
}

bool rc_task_syscall_in(int32_t pid, int32_t tid, rc_task_syscall *out) {
  char buf[256];
  long len = read_task_file(pid, tid, "syscall", buf, sizeof buf);
  if (len <= 0)
    return false;
  out->number = -1;
  out->arg0 = 0;
  out->sp = out->pc = 0;
  if (buf[0] < '0' || buf[0] > '9')
    return true; /* "running", or "-1 SP PC" (not in a call) */
  /* "NR ARG1 ... ARG6 SP PC": decimal, then hex fields. */
  uint64_t fields[9];
  const char *s = parse_number(buf, 10, &fields[0]);
  for (int i = 1; i < 9; i++) {
    if (*s != ' ')
      return false;
    s = parse_number(s + 1, 16, &fields[i]);
  }
  out->number = (long)fields[0];
  out->arg0 = fields[1];
  out->sp = (uintptr_t)fields[7];
  out->pc = (uintptr_t)fields[8];
  return true;
}

/* Whether descriptor `fd` of process `pid` (0: ours) is a terminal:
 * TCGETS succeeds on terminals only. */
static bool is_terminal(int32_t pid, long fd) {
  struct termios mode;
  if (pid == 0)
    return rc_raw_syscall(SYS_ioctl, fd, TCGETS, (long)&mode, 0, 0, 0) == 0;
  char path[64];
  const char *end = path + sizeof path - 1;
  char *p = append(path, end, "/proc/");
  p = append_number(p, end, (uint32_t)pid);
  p = append(p, end, "/fd/");
  p = append_number(p, end, (uint32_t)fd);
  *p = 0;
  long own =
      rc_raw_syscall(SYS_openat, AT_FDCWD, (long)path,
                     O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0, 0, 0);
  if (own < 0)
    return false;
  bool terminal =
      rc_raw_syscall(SYS_ioctl, own, TCGETS, (long)&mode, 0, 0, 0) == 0;
  rc_raw_syscall(SYS_close, own, 0, 0, 0, 0, 0);
  return terminal;
}

bool rc_task_syscall_waits_outside(int32_t pid, const rc_task_syscall *call) {
  if (call->number == SYS_wait4 || call->number == SYS_waitid)
    return true;
  return (call->number == SYS_read || call->number == SYS_readv) &&
         is_terminal(pid, (long)call->arg0);
}

bool rc_task_gone(int32_t tid) {
  long pid = rc_raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
  return rc_raw_syscall(SYS_tgkill, pid, tid, 0, 0, 0, 0) == -3 /* ESRCH */;
}

bool rc_task_each(int32_t pid, bool (*visit)(int32_t tid, void *context),
                  void *context) {
  char path[48];
  const char *end = path + sizeof path - 1;
  char *p = append(path, end, "/proc/");
  p = pid ? append_number(p, end, (uint32_t)pid) : append(p, end, "self");
  p = append(p, end, "/task");
  *p = 0;
  long dir = rc_raw_syscall(SYS_openat, AT_FDCWD, (long)path,
                            O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0);
  if (dir < 0)
    return false;
  bool stopped = false;
  char entries[2048] __attribute__((aligned(8)));
  long len;
  while (!stopped && (len = rc_raw_syscall(SYS_getdents64, dir, (long)entries,
                                           sizeof entries, 0, 0, 0)) > 0) {
    for (long off = 0; off < len && !stopped;) {
      /* struct linux_dirent64: ino, off, reclen, type, name */
      const char *entry = entries + off;
      uint16_t reclen;
      memcpy(&reclen, entry + 16, sizeof reclen);
      const char *name = entry + 19;
      uint64_t tid;
      if (*name >= '0' && *name <= '9' && !*parse_number(name, 10, &tid))
        stopped = visit((int32_t)tid, context);
      off += reclen;
    }
  }
  rc_raw_syscall(SYS_close, dir, 0, 0, 0, 0, 0);
  return stopped;
}

static bool task_has_children(int32_t tid, void *pid) {
  char children[16];
  return read_task_file(*(int32_t *)pid, tid, "children", children,
                        sizeof children) > 0;
}

bool rc_task_process_has_children(int32_t pid) {
  return rc_task_each(pid, task_has_children, &pid);
}
