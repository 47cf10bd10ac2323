/* interceptors_misc.c — the remaining blocking and timing primitives,
 * modelled under the scheduler: semaphores, barriers, pthread_once,
 * function-local static guards (__cxa_guard_*), futexes reached through
 * syscall(2) (libstdc++'s atomic wait/notify), yields, sleeps, and virtual
 * time.
 *
 * Virtual time: clocks read the real time of the run's start plus a virtual
 * offset that sleeps and timeouts advance (and every clock read, by 1 µs, so
 * loops that wait for elapsed time progress). Nothing really sleeps; the run
 * and its report stay deterministic. */
#include "sched/fairness.h"
#include "detect/livelock.h"
#include "sched/scheduler.h"
#include "detect/starvation.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

/* ---- virtual time ---- */
static uint64_t base_realtime_ns, base_monotonic_ns;
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
  case CLOCK_REALTIME_ALARM:
    return base_realtime_ns;
  case CLOCK_PROCESS_CPUTIME_ID:
  case CLOCK_THREAD_CPUTIME_ID:
    return 0;
  default:
    return base_monotonic_ns;
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

static uint64_t relative_deadline(const struct timespec *duration) {
  uint64_t d = timespec_ns(duration);
  return d == 0 ? 0 : g_rt.virtual_time_ns + d;
}

static void ns_to_timespec(uint64_t ns, struct timespec *ts) {
  ts->tv_sec = (time_t)(ns / 1000000000u);
  ts->tv_nsec = (long)(ns % 1000000000u);
}

static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int (*real_gettimeofday)(struct timeval *, void *);
static time_t (*real_time)(time_t *);

RC_INTERFACE int clock_gettime(clockid_t clock, struct timespec *ts) {
  RC_REAL(real_clock_gettime, "clock_gettime");
  if (!rc_active_thread() || clock < 0)
    return real_clock_gettime(clock, ts);
  g_rt.virtual_time_ns += CLOCK_READ_COST_NS;
  ns_to_timespec(clock_base(clock) + g_rt.virtual_time_ns, ts);
  return 0;
}

RC_INTERFACE int gettimeofday(struct timeval *tv, void *tz) {
  RC_REAL(real_gettimeofday, "gettimeofday");
  if (!rc_active_thread())
    return real_gettimeofday(tv, tz);
  g_rt.virtual_time_ns += CLOCK_READ_COST_NS;
  uint64_t ns = base_realtime_ns + g_rt.virtual_time_ns;
  tv->tv_sec = (time_t)(ns / 1000000000u);
  tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
  return 0;
}

RC_INTERFACE time_t time(time_t *out) {
  RC_REAL(real_time, "time");
  if (!rc_active_thread())
    return real_time(out);
  g_rt.virtual_time_ns += CLOCK_READ_COST_NS;
  time_t now = (time_t)((base_realtime_ns + g_rt.virtual_time_ns) / 1000000000u);
  if (out)
    *out = now;
  return now;
}

/* ---- yields and sleeps ---- */
static char sleep_marker; /* what sleeping threads "wait for" */

/* Sleeps until virtual time reaches `deadline` (0: just yield). */
static void sleep_until(uint64_t deadline) {
  const rc_site *site = rc_caller_site();
  rc_schedule(deadline ? RC_OP_SLEEP : RC_OP_YIELD, 0, site);
  /* Only the deadline unblocks a sleeper; other threads run meanwhile. */
  while (deadline && g_rt.virtual_time_ns < deadline) {
    rc_block_current_until(&sleep_marker, site, deadline);
    rc_schedule(RC_OP_SLEEP, 0, site);
  }
}

static int (*real_nanosleep)(const struct timespec *, struct timespec *);
static int (*real_clock_nanosleep)(clockid_t, int, const struct timespec *,
                                   struct timespec *);
static int (*real_usleep)(useconds_t);
static unsigned (*real_sleep)(unsigned);
static int (*real_sched_yield)(void);

RC_INTERFACE int nanosleep(const struct timespec *req, struct timespec *rem) {
  RC_REAL(real_nanosleep, "nanosleep");
  if (!rc_active_thread())
    return real_nanosleep(req, rem);
  if (!req || req->tv_nsec < 0 || req->tv_nsec >= 1000000000) {
    errno = EINVAL;
    return -1;
  }
  sleep_until(relative_deadline(req));
  if (rem)
    rem->tv_sec = 0, rem->tv_nsec = 0;
  return 0;
}

RC_INTERFACE int clock_nanosleep(clockid_t clock, int flags,
                                 const struct timespec *req,
                                 struct timespec *rem) {
  RC_REAL(real_clock_nanosleep, "clock_nanosleep");
  if (!rc_active_thread())
    return real_clock_nanosleep(clock, flags, req, rem);
  if (!req || req->tv_nsec < 0 || req->tv_nsec >= 1000000000)
    return EINVAL;
  sleep_until(flags & TIMER_ABSTIME ? rc_vtime_deadline(clock, req)
                                    : relative_deadline(req));
  if (rem && !(flags & TIMER_ABSTIME))
    rem->tv_sec = 0, rem->tv_nsec = 0;
  return 0;
}

RC_INTERFACE int usleep(useconds_t usec) {
  RC_REAL(real_usleep, "usleep");
  if (!rc_active_thread())
    return real_usleep(usec);
  struct timespec d = {(time_t)(usec / 1000000u), (long)(usec % 1000000u) * 1000};
  sleep_until(relative_deadline(&d));
  return 0;
}

RC_INTERFACE unsigned sleep(unsigned seconds) {
  RC_REAL(real_sleep, "sleep");
  if (!rc_active_thread())
    return real_sleep(seconds);
  struct timespec d = {(time_t)seconds, 0};
  sleep_until(relative_deadline(&d));
  return 0;
}

RC_INTERFACE int sched_yield(void) {
  RC_REAL(real_sched_yield, "sched_yield");
  if (!rc_active_thread())
    return real_sched_yield();
  sleep_until(0);
  return 0;
}

/* glibc's headers redirect pthread_yield to sched_yield; old binaries still
 * call the pthread_yield symbol. */
RC_INTERFACE int rc_pthread_yield(void) __asm__("pthread_yield");
RC_INTERFACE int rc_pthread_yield(void) { return sched_yield(); }

/* ---- user annotations (racecheck/annotations.h) ---- */
static uint64_t progress_marks;

RC_INTERFACE void __racecheck_progress(void) {
  /* Counted for livelock/starvation analysis: a thread that marks progress
   * is not spinning uselessly; it restarts livelock detection. */
  if (rc_active_thread()) {
    progress_marks++;
    rc_livelock_progress();
  }
}

RC_INTERFACE void __racecheck_spin_wait(void) {
  rc_thread *t = rc_active_thread();
  if (t)
    rc_schedule(RC_OP_SPIN_WAIT, 0, rc_caller_site());
}

/* ---- semaphores ---- */
static int (*real_sem_init)(sem_t *, int, unsigned);
static int (*real_sem_destroy)(sem_t *);
static int (*real_sem_wait)(sem_t *);
static int (*real_sem_trywait)(sem_t *);
static int (*real_sem_timedwait)(sem_t *, const struct timespec *);
static int (*real_sem_clockwait)(sem_t *, clockid_t, const struct timespec *);
static int (*real_sem_post)(sem_t *);
static int (*real_sem_getvalue)(sem_t *, int *);

static rc_sync *sem_sync(sem_t *sem, const rc_site *site) {
  rc_sync *s = rc_sync_find(sem);
  if (s && s->kind == RC_SYNC_SEM)
    return s;
  /* First use without sem_init (named or pre-initialised semaphore): start
   * from the value the real semaphore holds. */
  s = rc_sync_get(sem, RC_SYNC_SEM);
  RC_REAL(real_sem_getvalue, "sem_getvalue");
  int value = 0;
  real_sem_getvalue(sem, &value);
  s->count = value < 0 ? 0 : value;
  rc_sync_assign_identity(s, "sem", site);
  return s;
}

RC_INTERFACE int sem_init(sem_t *sem, int pshared, unsigned value) {
  RC_REAL(real_sem_init, "sem_init");
  int ret = real_sem_init(sem, pshared, value);
  if (ret == 0 && rc_active_thread()) {
    rc_sync_destroy(sem);
    rc_sync *s = rc_sync_get(sem, RC_SYNC_SEM);
    s->count = value;
    rc_sync_assign_identity(s, "sem", rc_caller_site());
  }
  return ret;
}

RC_INTERFACE int sem_destroy(sem_t *sem) {
  RC_REAL(real_sem_destroy, "sem_destroy");
  if (rc_active_thread())
    rc_sync_destroy(sem);
  return real_sem_destroy(sem);
}

/* deadline: 0 none, 1 do not wait (trywait), else virtual ns. */
static int sem_wait_common(sem_t *sem, uint64_t deadline, int busy_errno) {
  rc_thread *t = rc_self;
  const rc_site *site = rc_caller_site();
  rc_sync *s = sem_sync(sem, site);
  rc_op_kind op = deadline == 1 ? RC_OP_SEM_TRYWAIT : RC_OP_SEM_WAIT;
  rc_schedule(op, sem, site);
  while (s->count == 0) {
    if (deadline == 1) {
      rc_fair_yield(t->tid); /* a failed trywait: let others run */
      errno = busy_errno;
      return -1;
    }
    rc_starvation_lock_wait(t, s->lock_id, op, site);
    rc_block_current_until(sem, site, deadline);
    rc_schedule(op, sem, site);
    if (t->timed_out && s->count == 0) {
      rc_starvation_lock_gave_up(t, s->lock_id);
      errno = ETIMEDOUT;
      return -1;
    }
  }
  rc_starvation_lock_acquired(t, s->lock_id, op, site);
  s->count--;
  rc_hb_acquire(t, &s->clock);
  return 0;
}

RC_INTERFACE int sem_wait(sem_t *sem) {
  RC_REAL(real_sem_wait, "sem_wait");
  if (!rc_active_thread())
    return real_sem_wait(sem);
  return sem_wait_common(sem, 0, EAGAIN);
}

RC_INTERFACE int sem_trywait(sem_t *sem) {
  RC_REAL(real_sem_trywait, "sem_trywait");
  if (!rc_active_thread())
    return real_sem_trywait(sem);
  return sem_wait_common(sem, 1, EAGAIN);
}

static uint64_t sem_deadline(clockid_t clock, const struct timespec *abstime) {
  uint64_t deadline = rc_vtime_deadline(clock, abstime);
  return deadline == 0 ? 1 : deadline;
}

RC_INTERFACE int sem_timedwait(sem_t *sem, const struct timespec *abstime) {
  RC_REAL(real_sem_timedwait, "sem_timedwait");
  if (!rc_active_thread())
    return real_sem_timedwait(sem, abstime);
  return sem_wait_common(sem, sem_deadline(CLOCK_REALTIME, abstime), ETIMEDOUT);
}

RC_INTERFACE int sem_clockwait(sem_t *sem, clockid_t clock,
                               const struct timespec *abstime) {
  RC_REAL(real_sem_clockwait, "sem_clockwait");
  if (!rc_active_thread())
    return real_sem_clockwait(sem, clock, abstime);
  return sem_wait_common(sem, sem_deadline(clock, abstime), ETIMEDOUT);
}

RC_INTERFACE int sem_post(sem_t *sem) {
  RC_REAL(real_sem_post, "sem_post");
  rc_thread *t = rc_active_thread();
  if (!t)
    return real_sem_post(sem);
  const rc_site *site = rc_caller_site();
  rc_sync *s = sem_sync(sem, site);
  rc_schedule(RC_OP_SEM_POST, sem, site);
  rc_hb_release_join(t, &s->clock);
  s->count++;
  rc_unblock_all(sem);
  return 0;
}

RC_INTERFACE int sem_getvalue(sem_t *sem, int *value) {
  RC_REAL(real_sem_getvalue, "sem_getvalue");
  if (!rc_active_thread())
    return real_sem_getvalue(sem, value);
  *value = (int)sem_sync(sem, rc_caller_site())->count;
  return 0;
}

/* ---- barriers: all-to-all happens-before per round ---- */
static int (*real_barrier_init)(pthread_barrier_t *,
                                const pthread_barrierattr_t *, unsigned);
static int (*real_barrier_wait)(pthread_barrier_t *);
static int (*real_barrier_destroy)(pthread_barrier_t *);

RC_INTERFACE int pthread_barrier_init(pthread_barrier_t *b,
                                      const pthread_barrierattr_t *attr,
                                      unsigned count) {
  RC_REAL(real_barrier_init, "pthread_barrier_init");
  int ret = real_barrier_init(b, attr, count);
  if (ret == 0 && rc_active_thread()) {
    rc_sync_destroy(b);
    rc_sync *s = rc_sync_get(b, RC_SYNC_BARRIER);
    s->limit = count;
    rc_sync_assign_identity(s, "barrier", rc_caller_site());
  }
  return ret;
}

RC_INTERFACE int pthread_barrier_destroy(pthread_barrier_t *b) {
  RC_REAL(real_barrier_destroy, "pthread_barrier_destroy");
  if (rc_active_thread()) {
    rc_sync *s = rc_sync_find(b);
    if (s && s->kind == RC_SYNC_BARRIER && s->count > 0)
      return EBUSY;
    rc_sync_destroy(b);
  }
  return real_barrier_destroy(b);
}

RC_INTERFACE int pthread_barrier_wait(pthread_barrier_t *b) {
  RC_REAL(real_barrier_wait, "pthread_barrier_wait");
  rc_thread *t = rc_active_thread();
  rc_sync *s = t ? rc_sync_find(b) : 0;
  if (!s || s->kind != RC_SYNC_BARRIER)
    return real_barrier_wait(b);
  const rc_site *site = rc_caller_site();
  rc_schedule(RC_OP_BARRIER_WAIT, b, site);
  /* s->clock gathers this round's arrivals; read_clock holds the last
   * completed round's, which its waiters acquire. */
  rc_hb_release_join(t, &s->clock);
  if (++s->count == s->limit) {
    s->count = 0;
    s->generation++;
    rc_vc_copy(&s->read_clock, &s->clock);
    rc_vc_clear(&s->clock);
    rc_hb_acquire(t, &s->read_clock);
    rc_unblock_all(b);
    return PTHREAD_BARRIER_SERIAL_THREAD;
  }
  uint64_t round = s->generation;
  while (s->generation == round) {
    rc_block_current(b, site);
    rc_schedule(RC_OP_BARRIER_WAIT, b, site);
  }
  rc_hb_acquire(t, &s->read_clock);
  return 0;
}

/* ---- pthread_once (std::call_once reaches it in libstdc++ 12) ---- */
enum { ONCE_NOT_RUN = 0, ONCE_RUNNING = 1, ONCE_DONE = 2 };
#define GLIBC_ONCE_DONE 2 /* glibc's __PTHREAD_ONCE_DONE bit */

static int (*real_pthread_once)(pthread_once_t *, void (*)(void));

typedef struct once_run {
  rc_sync *s;
  pthread_once_t *control;
  bool finished;
} once_run;

/* Runs also when the initialiser throws: the once is not done then, and
 * one of the waiters runs it next (as pthread_once specifies). */
static void once_end(once_run *run) {
  if (run->finished || !rc_self)
    return;
  run->s->count = ONCE_NOT_RUN;
  run->s->owner = 0;
  /* The next runner sees what the failed attempt did (glibc's once is a
   * lock for the initialiser's duration). */
  rc_hb_release(rc_self, &run->s->clock);
  rc_unblock_all(run->control);
}

RC_INTERFACE int pthread_once(pthread_once_t *control, void (*init)(void)) {
  RC_REAL(real_pthread_once, "pthread_once");
  rc_thread *t = rc_active_thread();
  if (!t)
    return real_pthread_once(control, init);
  const rc_site *site = rc_caller_site();
  rc_sync *s = rc_sync_find(control);
  if (!s || s->kind != RC_SYNC_ONCE) {
    s = rc_sync_get(control, RC_SYNC_ONCE);
    s->count = (*(volatile int *)control & GLIBC_ONCE_DONE) ? ONCE_DONE
                                                           : ONCE_NOT_RUN;
    rc_sync_assign_identity(s, "once", site);
  }
  rc_schedule(RC_OP_ONCE, control, site);
  while (s->count != ONCE_NOT_RUN) {
    if (s->count == ONCE_DONE) {
      rc_hb_acquire(t, &s->clock);
      return 0;
    }
    rc_block_current(control, site);
    if (s->owner == t)
      rc_report_deadlock(RC_RECORD_HEADLINE_ONCE_SELF);
    rc_schedule(RC_OP_ONCE, control, site);
  }
  s->count = ONCE_RUNNING;
  s->owner = t;
  rc_hb_acquire(t, &s->clock); /* from an earlier attempt that threw */
  {
    __attribute__((cleanup(once_end))) once_run run = {s, control, false};
    init();
    run.finished = true;
  }
  s->count = ONCE_DONE;
  s->owner = 0;
  *(volatile int *)control = GLIBC_ONCE_DONE;
  rc_hb_release(t, &s->clock);
  rc_unblock_all(control);
  return 0;
}

/* ---- function-local statics (Itanium C++ ABI guard variables) ----
 * The inline fast path is an (instrumented) acquire load of the guard's
 * first byte; so release stores 1 there and publishes on that address's
 * atomic clock. */
static int (*real_guard_acquire)(int64_t *);
static void (*real_guard_release)(int64_t *);
static void (*real_guard_abort)(int64_t *);

RC_INTERFACE int __cxa_guard_acquire(int64_t *guard) {
  RC_REAL(real_guard_acquire, "__cxa_guard_acquire");
  rc_thread *t = rc_active_thread();
  if (!t)
    return real_guard_acquire(guard);
  const rc_site *site = rc_caller_site();
  rc_sync *s = rc_sync_get(guard, RC_SYNC_GUARD);
  if (s->lock_id == UINT32_MAX)
    rc_sync_assign_identity(s, "guard", site);
  rc_schedule(RC_OP_GUARD_ACQUIRE, guard, site);
  for (;;) {
    if (__atomic_load_n((volatile char *)guard, __ATOMIC_ACQUIRE)) {
      rc_hb_acquire(t, rc_atomic_clock(guard));
      return 0;
    }
    if (!s->owner)
      break;
    rc_block_current(guard, site);
    if (s->owner == t)
      rc_report_deadlock(RC_RECORD_HEADLINE_GUARD_SELF);
    rc_schedule(RC_OP_GUARD_ACQUIRE, guard, site);
  }
  s->owner = t;
  rc_hb_acquire(t, &s->clock); /* from an earlier attempt that aborted */
  return 1;
}

RC_INTERFACE void __cxa_guard_release(int64_t *guard) {
  RC_REAL(real_guard_release, "__cxa_guard_release");
  rc_thread *t = rc_active_thread();
  rc_sync *s = t ? rc_sync_find(guard) : 0;
  if (!s || s->kind != RC_SYNC_GUARD) {
    real_guard_release(guard);
    return;
  }
  rc_hb_release(t, rc_atomic_clock(guard));
  __atomic_store_n((volatile char *)guard, 1, __ATOMIC_RELEASE);
  s->owner = 0;
  rc_unblock_all(guard);
}

RC_INTERFACE void __cxa_guard_abort(int64_t *guard) {
  RC_REAL(real_guard_abort, "__cxa_guard_abort");
  rc_thread *t = rc_active_thread();
  rc_sync *s = t ? rc_sync_find(guard) : 0;
  if (!s || s->kind != RC_SYNC_GUARD) {
    real_guard_abort(guard);
    return;
  }
  rc_hb_release(t, &s->clock);
  s->owner = 0;
  rc_unblock_all(guard);
}

/* ---- futexes through syscall(2) ---- */
static uint64_t futex_tickets;

static long futex_wait(uint32_t *addr, uint32_t expected,
                       const struct timespec *timeout, bool absolute,
                       clockid_t clock, uint32_t bitset) {
  rc_thread *t = rc_self;
  rc_thread_ext *ext = rc_ext(t);
  const rc_site *site = rc_caller_site();
  rc_schedule(RC_OP_FUTEX_WAIT, addr, site);
  if (__atomic_load_n(addr, __ATOMIC_RELAXED) != expected)
    return -EAGAIN;
  rc_sync *s = rc_sync_get(addr, RC_SYNC_FUTEX);
  uint64_t deadline = 0;
  if (timeout) {
    deadline = absolute ? rc_vtime_deadline(clock, timeout)
                        : relative_deadline(timeout);
    if (deadline == 0)
      return -ETIMEDOUT;
  }
  /* A spurious wake-up (option spurious_wakeups): returns 0 unwoken. */
  if (rc_spurious_wakeup()) {
    rc_schedule(RC_OP_SPURIOUS_WAKEUP, addr, site);
    return 0;
  }
  ext->signalled = false;
  ext->futex_bitset = bitset;
  ext->wait_ticket = ++futex_tickets;
  while (!ext->signalled) {
    rc_block_current_until(addr, site, deadline);
    rc_schedule(RC_OP_FUTEX_WAIT, addr, site);
    if (t->timed_out && !ext->signalled)
      return -ETIMEDOUT;
  }
  ext->signalled = false;
  rc_hb_acquire(t, &s->clock);
  return 0;
}

static long futex_wake(uint32_t *addr, int count, uint32_t bitset) {
  rc_thread *t = rc_self;
  const rc_site *site = rc_caller_site();
  rc_schedule(RC_OP_FUTEX_WAKE, addr, site);
  rc_sync *s = rc_sync_get(addr, RC_SYNC_FUTEX);
  rc_hb_release_join(t, &s->clock);
  long woken = 0;
  while (woken < count) {
    rc_thread *best = 0;
    for (uint32_t i = 0; i < g_rt.n_threads; i++) {
      rc_thread *w = g_rt.threads[i];
      if (w->status != RC_THREAD_BLOCKED || w->wait_object != addr ||
          rc_ext(w)->signalled || !(rc_ext(w)->futex_bitset & bitset))
        continue;
      if (!best || rc_ext(w)->wait_ticket < rc_ext(best)->wait_ticket)
        best = w;
    }
    if (!best)
      break;
    rc_ext(best)->signalled = true;
    rc_unblock(best);
    woken++;
  }
  return woken;
}

static long futex_model(long *args) {
  uint32_t *addr = (uint32_t *)args[0];
  int op = (int)args[1];
  int cmd = op & FUTEX_CMD_MASK;
  clockid_t clock = (op & FUTEX_CLOCK_REALTIME) ? CLOCK_REALTIME : CLOCK_MONOTONIC;
  switch (cmd) {
  case FUTEX_WAIT:
    return futex_wait(addr, (uint32_t)args[2], (const struct timespec *)args[3],
                      false, clock, FUTEX_BITSET_MATCH_ANY);
  case FUTEX_WAIT_BITSET:
    return futex_wait(addr, (uint32_t)args[2], (const struct timespec *)args[3],
                      true, clock, (uint32_t)args[5]);
  case FUTEX_WAKE:
    return futex_wake(addr, (int)args[2], FUTEX_BITSET_MATCH_ANY);
  case FUTEX_WAKE_BITSET:
    return futex_wake(addr, (int)args[2], (uint32_t)args[5]);
  default:
    /* Requeue, wake-op and PI futexes would need their own model. */
    return -ENOSYS;
  }
}

RC_INTERFACE long syscall(long number, ...) {
  va_list ap;
  long args[6];
  va_start(ap, number);
  for (int i = 0; i < 6; i++)
    args[i] = va_arg(ap, long);
  va_end(ap);
  long ret;
  if (number == SYS_futex && rc_active_thread())
    ret = futex_model(args);
  else
    ret = rc_raw_syscall(number, args[0], args[1], args[2], args[3], args[4],
                         args[5]);
  if (ret < 0 && ret > -4096) {
    errno = (int)-ret;
    return -1;
  }
  return ret;
}
