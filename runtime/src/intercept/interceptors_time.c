/* interceptors_time.c — clock reads answered from the virtual clock
 * (sched/virtual_time.c), so runs and their reports stay deterministic. */
#include "sched/scheduler.h"

#include <sys/time.h>

static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int (*real_gettimeofday)(struct timeval *, void *);
static time_t (*real_time)(time_t *);

RC_INTERCEPT int clock_gettime(clockid_t clock, struct timespec *ts) {
  RC_REAL(real_clock_gettime, "clock_gettime");
  if (!rc_active_thread() || clock < 0)
    return real_clock_gettime(clock, ts);
  uint64_t ns = rc_vtime_read(clock);
  ts->tv_sec = (time_t)(ns / 1000000000u);
  ts->tv_nsec = (long)(ns % 1000000000u);
  return 0;
}

RC_INTERCEPT int gettimeofday(struct timeval *tv, void *tz) {
  RC_REAL(real_gettimeofday, "gettimeofday");
  if (!rc_active_thread())
    return real_gettimeofday(tv, tz);
  uint64_t ns = rc_vtime_read(CLOCK_REALTIME);
  tv->tv_sec = (time_t)(ns / 1000000000u);
  tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
  return 0;
}

RC_INTERCEPT time_t time(time_t *out) {
  RC_REAL(real_time, "time");
  if (!rc_active_thread())
    return real_time(out);
  time_t now = (time_t)(rc_vtime_read(CLOCK_REALTIME) / 1000000000u);
  if (out)
    *out = now;
  return now;
}
