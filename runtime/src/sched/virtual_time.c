/* sched/virtual_time.c — the run's virtual clock and sleeping on it
 * (sched/virtual_time.h): what clock reads return, how absolute and relative
 * timeouts become virtual deadlines, and sleeps, which block the sleeper
 * until the scheduler's virtual time passes their deadline. */
#include "sched/scheduler.h"

#include <sys/syscall.h>

static uint64_t base_realtime_ns, base_monotonic_ns;
/* What one clock read costs in virtual time: enough that a loop waiting
 * for elapsed time ends, small against any timeout a program sets. */
#define CLOCK_READ_COST_NS 1000u

static uint64_t timespec_ns(const struct timespec *ts) {
  if (ts->tv_sec < 0)
    return 0;
  return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

void rc_vtime_init(void) {
  struct timespec ts;
  rc_raw_syscall(SYS_clock_gettime, CLOCK_REALTIME, (long)&ts, 0, 0, 0, 0);
  base_realtime_ns = timespec_ns(&ts);
  rc_raw_syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0, 0);
  base_monotonic_ns = timespec_ns(&ts);
}

uint64_t rc_vtime_now(void) { return g_rt.virtual_time_ns; }

static uint64_t clock_base(clockid_t clock) {
  switch (clock) {
  case CLOCK_REALTIME:
  case CLOCK_REALTIME_COARSE:
  case CLOCK_TAI:
  case CLOCK_REALTIME_ALARM: return base_realtime_ns;
  case CLOCK_PROCESS_CPUTIME_ID:
  case CLOCK_THREAD_CPUTIME_ID: return 0;
  default: return base_monotonic_ns;
  }
}

uint64_t rc_vtime_deadline(clockid_t clock, const struct timespec *abstime) {
  uint64_t abs_ns = timespec_ns(abstime);
  uint64_t base = clock_base(clock);
  if (abs_ns <= base + g_rt.virtual_time_ns)
    return 0;
  uint64_t deadline = abs_ns - base;
  return deadline < 2 ? 2 : deadline; /* 0 and 1 mean "none" and "passed" */
}

uint64_t rc_vtime_try_deadline(clockid_t clock,
                               const struct timespec *abstime) {
  uint64_t deadline = rc_vtime_deadline(clock, abstime);
  return deadline == 0 ? 1 : deadline; /* already passed: just try */
}

uint64_t rc_vtime_after(const struct timespec *duration) {
  uint64_t d = timespec_ns(duration);
  return d == 0 ? 0 : g_rt.virtual_time_ns + d;
}

uint64_t rc_vtime_read(clockid_t clock) {
  if (g_rt.options.real_time) {
    /* The program measures real durations, yet a sleep still moves its
     * clock by what it slept: the later of the two, never going back. */
    struct timespec ts;
    rc_raw_syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0, 0);
    uint64_t real = timespec_ns(&ts) - base_monotonic_ns;
    if (real > g_rt.virtual_time_ns)
      g_rt.virtual_time_ns = real;
  } else {
    g_rt.virtual_time_ns += CLOCK_READ_COST_NS;
  }
  return clock_base(clock) + g_rt.virtual_time_ns;
}

void rc_vtime_advance_to(uint64_t deadline) {
  if (deadline > g_rt.virtual_time_ns)
    g_rt.virtual_time_ns = deadline;
}

static char sleep_marker; /* what sleeping threads "wait for" */
static char ready_marker; /* what multiplexers waiting for readiness do */

bool rc_vtime_sleep_until(uint64_t deadline, const rc_site *site) {
  if (!deadline) {
    rc_schedule(RC_OP_YIELD, 0, site);
    return false;
  }
  /* The scheduler offers a sleeper among the enabled threads: when the
   * strategy picks it, or no thread can run, its deadline has come. A
   * signal handler or a cancellation request ends the sleep early. */
  while (g_rt.virtual_time_ns < deadline) {
    rc_block_current_until(&sleep_marker, site, deadline);
    rc_schedule(RC_OP_SLEEP, 0, site);
    if (rc_signals_wait_interrupted(rc_self) || rc_cancel_due(rc_self))
      return g_rt.virtual_time_ns < deadline;
  }
  return false;
}

bool rc_vtime_wait_ready(uint64_t deadline, const rc_site *site) {
  rc_thread *t = rc_self;
  rc_block_current_until(&ready_marker, site, deadline ? deadline : UINT64_MAX);
  rc_schedule(RC_OP_SLEEP, 0, site);
  return t->timed_out;
}

bool rc_vtime_is_ready_wait(const void *wait_object) {
  return wait_object == &ready_marker;
}
