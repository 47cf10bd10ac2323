/* interceptors_sleep.c — sleeps and yields: scheduling points where a
 * sleeper waits for virtual time to pass its deadline
 * (rc_vtime_sleep_until) while the other threads run. Nothing really
 * sleeps. */
#include "sched/scheduler.h"

#include <errno.h>
#include <sched.h>
#include <unistd.h>

static int (*real_nanosleep)(const struct timespec *, struct timespec *);
static int (*real_clock_nanosleep)(clockid_t, int, const struct timespec *,
                                   struct timespec *);
static int (*real_usleep)(useconds_t);
static unsigned (*real_sleep)(unsigned);
static int (*real_sched_yield)(void);

/* A sleep until `deadline` as the sleep calls do it: a cancellation point;
 * when a signal handler ends it early, the time left (for `rem`) and true. */
static bool sleep_until(uint64_t deadline, struct timespec *left) {
  rc_thread *t = rc_self;
  rc_cancel_point(t);
  bool interrupted = rc_vtime_sleep_until(deadline, rc_caller_site());
  rc_cancel_point(t);
  uint64_t rest = interrupted ? deadline - rc_vtime_now() : 0;
  if (left)
    *left = (struct timespec){(time_t)(rest / 1000000000u),
                              (long)(rest % 1000000000u)};
  return interrupted;
}

RC_INTERCEPT int nanosleep(const struct timespec *req, struct timespec *rem) {
  RC_REAL(real_nanosleep, "nanosleep");
  if (!rc_active_thread())
    return real_nanosleep(req, rem);
  if (!req || req->tv_nsec < 0 || req->tv_nsec >= 1000000000) {
    errno = EINVAL;
    return -1;
  }
  if (sleep_until(rc_vtime_after(req), rem)) {
    errno = EINTR;
    return -1;
  }
  return 0;
}

RC_INTERCEPT int clock_nanosleep(clockid_t clock, int flags,
                                 const struct timespec *req,
                                 struct timespec *rem) {
  RC_REAL(real_clock_nanosleep, "clock_nanosleep");
  if (!rc_active_thread())
    return real_clock_nanosleep(clock, flags, req, rem);
  if (!req || req->tv_nsec < 0 || req->tv_nsec >= 1000000000)
    return EINVAL;
  struct timespec left;
  bool interrupted =
      sleep_until(flags & TIMER_ABSTIME ? rc_vtime_deadline(clock, req)
                                        : rc_vtime_after(req),
                  &left);
  if (rem && !(flags & TIMER_ABSTIME))
    *rem = left;
  return interrupted ? EINTR : 0;
}

RC_INTERCEPT int usleep(useconds_t usec) {
  RC_REAL(real_usleep, "usleep");
  if (!rc_active_thread())
    return real_usleep(usec);
  struct timespec d = {(time_t)(usec / 1000000u),
                       (long)(usec % 1000000u) * 1000};
  if (sleep_until(rc_vtime_after(&d), 0)) {
    errno = EINTR;
    return -1;
  }
  return 0;
}

RC_INTERCEPT unsigned sleep(unsigned seconds) {
  RC_REAL(real_sleep, "sleep");
  if (!rc_active_thread())
    return real_sleep(seconds);
  struct timespec d = {(time_t)seconds, 0}, left;
  if (sleep_until(rc_vtime_after(&d), &left)) {
    errno = EINTR; /* glibc: the whole seconds not yet slept */
    return (unsigned)left.tv_sec;
  }
  return 0;
}

RC_INTERCEPT int sched_yield(void) {
  RC_REAL(real_sched_yield, "sched_yield");
  if (!rc_active_thread())
    return real_sched_yield();
  rc_vtime_sleep_until(0, rc_caller_site());
  return 0;
}

/* glibc's headers redirect pthread_yield to sched_yield; old binaries still
 * call the pthread_yield symbol. */
RC_INTERCEPT int rc_pthread_yield(void) __asm__("pthread_yield");
RC_INTERCEPT int rc_pthread_yield(void) { return sched_yield(); }
