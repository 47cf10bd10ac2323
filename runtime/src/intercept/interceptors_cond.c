/* interceptors_cond.c — condition variables modelled under the scheduler.
 *
 * wait = release the mutex, block until signalled (or until the virtual
 * deadline passes, or — for a timed wait — until nothing else can run), then
 * re-acquire the mutex as an ordinary acquisition. signal wakes the
 * longest-waiting thread, broadcast all of them; each carries a
 * happens-before edge from the signaller. A wait that nobody will ever
 * signal ends in a deadlock finding (lost wake-up) instead of a hang.
 *
 * glibc exports two versions of each pthread_cond_* symbol. Ours are
 * unversioned definitions in the executable, which the dynamic linker binds
 * for either version requested (libstdc++ asks for GLIBC_2.3.2). */
#include "sched/scheduler.h"
#include "detect/starvation.h"

#include <errno.h>
#include <pthread.h>

#define COND_VERSION "GLIBC_2.3.2"

static int (*real_cond_init)(pthread_cond_t *, const pthread_condattr_t *);
static int (*real_cond_destroy)(pthread_cond_t *);
static int (*real_cond_wait)(pthread_cond_t *, pthread_mutex_t *);
static int (*real_cond_timedwait)(pthread_cond_t *, pthread_mutex_t *,
                                  const struct timespec *);
static int (*real_cond_clockwait)(pthread_cond_t *, pthread_mutex_t *,
                                  clockid_t, const struct timespec *);
static int (*real_cond_signal)(pthread_cond_t *);
static int (*real_cond_broadcast)(pthread_cond_t *);

static uint64_t next_ticket;

static rc_sync *cond_sync(pthread_cond_t *c, const rc_site *site) {
  rc_sync *s = rc_sync_get(c, RC_SYNC_COND);
  if (s->lock_id == UINT32_MAX)
    rc_sync_assign_identity(s, "cond", site);
  return s;
}

/* deadline: 0 = none, 1 = already passed, else virtual ns. */
static int cond_wait_common(pthread_cond_t *c, pthread_mutex_t *m,
                            uint64_t deadline) {
  rc_thread *t = rc_self;
  rc_thread_ext *ext = rc_ext(t);
  const rc_site *site = rc_caller_site();
  rc_sync *cs = cond_sync(c, site);
  rc_schedule(RC_OP_COND_WAIT, c, site);
  rc_sync *ms = rc_sync_find(m);
  if (!ms || ms->kind != RC_SYNC_MUTEX || ms->owner != t)
    return EPERM;

  /* Release the mutex completely (even a recursive one, as glibc does). */
  uint32_t recursion = ms->recursion;
  ms->owner = 0;
  ms->recursion = 0;
  rc_hb_release(t, &ms->clock);
  rc_held_remove(t, ms->lock_id);
  rc_unblock_all(m);

  bool timed_out = deadline == 1;
  ext->signalled = false;
  ext->wait_ticket = ++next_ticket;
  /* A spurious wake-up (option spurious_wakeups): others may run while the
   * mutex is free, then the wait returns 0 with no signal and no
   * happens-before edge. */
  bool spurious = !timed_out && rc_spurious_wakeup();
  if (spurious)
    rc_schedule(RC_OP_SPURIOUS_WAKEUP, c, site);
  while (!spurious && !timed_out && !ext->signalled) {
    rc_block_current_until(c, site, deadline);
    rc_schedule(RC_OP_COND_WAIT, c, site);
    if (t->timed_out && !ext->signalled)
      timed_out = true;
  }
  if (ext->signalled)
    rc_hb_acquire(t, &cs->clock);
  ext->signalled = false;

  rc_lock_order_acquire(t, ms->lock_id, site, true, RC_LOCK_WAIT_BLOCK);
  while (ms->owner) {
    rc_starvation_lock_wait(t, ms->lock_id, RC_OP_MUTEX_LOCK, site);
    rc_block_current(m, site);
    rc_schedule(RC_OP_MUTEX_LOCK, m, site);
  }
  rc_starvation_lock_acquired(t, ms->lock_id, RC_OP_MUTEX_LOCK, site);
  ms->owner = t;
  ms->recursion = recursion;
  rc_hb_acquire(t, &ms->clock);
  rc_held_add(t, ms->lock_id, site, true);
  return timed_out ? ETIMEDOUT : 0;
}

RC_INTERFACE int pthread_cond_init(pthread_cond_t *c,
                                   const pthread_condattr_t *attr) {
  RC_REAL_VERSION(real_cond_init, "pthread_cond_init", COND_VERSION);
  int ret = real_cond_init(c, attr);
  if (ret == 0 && rc_active_thread()) {
    rc_sync_destroy(c);
    cond_sync(c, rc_caller_site());
  }
  return ret;
}

RC_INTERFACE int pthread_cond_destroy(pthread_cond_t *c) {
  RC_REAL_VERSION(real_cond_destroy, "pthread_cond_destroy", COND_VERSION);
  if (rc_active_thread()) {
    if (rc_oldest_waiter(c))
      return EBUSY;
    rc_sync_destroy(c);
  }
  return real_cond_destroy(c);
}

RC_INTERFACE int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) {
  RC_REAL_VERSION(real_cond_wait, "pthread_cond_wait", COND_VERSION);
  if (!rc_active_thread())
    return real_cond_wait(c, m);
  return cond_wait_common(c, m, 0);
}

static uint64_t cond_deadline(clockid_t clock, const struct timespec *abstime) {
  uint64_t deadline = rc_vtime_deadline(clock, abstime);
  return deadline == 0 ? 1 : deadline;
}

RC_INTERFACE int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                        const struct timespec *abstime) {
  RC_REAL_VERSION(real_cond_timedwait, "pthread_cond_timedwait",
                  COND_VERSION);
  if (!rc_active_thread())
    return real_cond_timedwait(c, m, abstime);
  /* The clock is the condattr's, which glibc keeps in bit 1 of __wrefs
   * (0: CLOCK_REALTIME, 1: CLOCK_MONOTONIC). */
  clockid_t clock = (c->__data.__wrefs & 2) ? CLOCK_MONOTONIC : CLOCK_REALTIME;
  return cond_wait_common(c, m, cond_deadline(clock, abstime));
}

RC_INTERFACE int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m,
                                        clockid_t clock,
                                        const struct timespec *abstime) {
  RC_REAL(real_cond_clockwait, "pthread_cond_clockwait");
  if (!rc_active_thread())
    return real_cond_clockwait(c, m, clock, abstime);
  return cond_wait_common(c, m, cond_deadline(clock, abstime));
}

static void wake_waiters(pthread_cond_t *c, bool all) {
  rc_thread *t = rc_self;
  const rc_site *site = rc_caller_site();
  rc_sync *cs = cond_sync(c, site);
  rc_schedule(all ? RC_OP_COND_BROADCAST : RC_OP_COND_SIGNAL, c, site);
  rc_hb_release_join(t, &cs->clock);
  rc_thread *w;
  while ((w = rc_oldest_waiter(c))) {
    rc_ext(w)->signalled = true;
    rc_unblock(w);
    if (!all)
      break;
  }
}

RC_INTERFACE int pthread_cond_signal(pthread_cond_t *c) {
  RC_REAL_VERSION(real_cond_signal, "pthread_cond_signal", COND_VERSION);
  if (!rc_active_thread())
    return real_cond_signal(c);
  wake_waiters(c, false);
  return 0;
}

RC_INTERFACE int pthread_cond_broadcast(pthread_cond_t *c) {
  RC_REAL_VERSION(real_cond_broadcast, "pthread_cond_broadcast",
                  COND_VERSION);
  if (!rc_active_thread())
    return real_cond_broadcast(c);
  wake_waiters(c, true);
  return 0;
}
