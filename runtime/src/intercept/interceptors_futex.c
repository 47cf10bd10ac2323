/* interceptors_futex.c — syscall(2): futex calls (libstdc++'s atomic
 * wait/notify) go to the futex model (sync/futex.c), a thread's raw exit
 * to the thread model, every other system call straight to the kernel,
 * marked so that the watchdog may let the other threads go on while it
 * blocks (scheduler.c). */
#include "sync/models.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

static long futex_call(long *args) {
  uint32_t *addr = (uint32_t *)args[0];
  int op = (int)args[1];
  int cmd = op & FUTEX_CMD_MASK;
  clockid_t clock =
      (op & FUTEX_CLOCK_REALTIME) ? CLOCK_REALTIME : CLOCK_MONOTONIC;
  const rc_site *site = rc_caller_site();
  switch (cmd) {
  case FUTEX_WAIT:
    return rc_futex_model_wait(addr, (uint32_t)args[2],
                               (const struct timespec *)args[3], false, clock,
                               FUTEX_BITSET_MATCH_ANY, site);
  case FUTEX_WAIT_BITSET:
    return rc_futex_model_wait(addr, (uint32_t)args[2],
                               (const struct timespec *)args[3], true, clock,
                               (uint32_t)args[5], site);
  case FUTEX_WAKE:
    return rc_futex_model_wake(addr, (int)args[2], FUTEX_BITSET_MATCH_ANY,
                               site);
  case FUTEX_WAKE_BITSET:
    return rc_futex_model_wake(addr, (int)args[2], (uint32_t)args[5], site);
  default:
    /* Requeue, wake-op and PI futexes would need their own model. */
    return -ENOSYS;
  }
}

RC_INTERCEPT long syscall(long number, ...) {
  va_list ap;
  long args[6];
  va_start(ap, number);
  for (int i = 0; i < 6; i++)
    args[i] = va_arg(ap, long);
  va_end(ap);
  long ret;
  rc_thread *t = rc_active_thread();
  if (number == SYS_futex && t) {
    ret = futex_call(args);
  } else if (number == SYS_exit_group) {
    _exit((int)args[0]); /* the runtime's _exit: the run's record first */
  } else if (t && t == g_rt.current) {
    if (number == SYS_exit)
      rc_thread_exit_raw(t);
    else
      rc_syscall_enter(t);
    ret = rc_raw_syscall(number, args[0], args[1], args[2], args[3], args[4],
                         args[5]);
    rc_syscall_exit(t);
  } else {
    ret = rc_raw_syscall(number, args[0], args[1], args[2], args[3], args[4],
                         args[5]);
  }
  if (ret < 0 && ret > -4096) {
    errno = (int)-ret;
    return -1;
  }
  return ret;
}
