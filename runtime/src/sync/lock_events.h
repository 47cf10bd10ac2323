/* sync/lock_events.h — the one interface through which the lock models
 * (mutex, spinlock, rwlock, semaphore, the mutex re-lock of a condition
 * wait) tell the rest of the runtime what a lock operation did, like
 * ThreadSanitizer's deadlock detector interface (before lock, after lock,
 * before unlock). Each event is forwarded here to whoever watches locks:
 * the lock-order graph (lock_order.c), starvation's bypass counting
 * (starvation.c), the fair scheduler (fairness.c) and the thread's held
 * locks, its lockset (sync.c). The models name only these events; a new
 * watcher is wired in here alone. The forwarding is inline because every
 * lock and unlock passes through it.
 *
 * Order of a lock request: rc_lock_before once, then per failed attempt
 * either rc_lock_try_failed (trylock: the request ends) or rc_lock_blocked
 * (the thread blocks and retries) and possibly rc_lock_timed_out (the
 * request ends), and on success rc_lock_after. */
#ifndef RACECHECK_LOCK_EVENTS_H
#define RACECHECK_LOCK_EVENTS_H

#include "core/runtime.h"
#include "detect/starvation.h"
#include "sched/fairness.h"
#include "sync/objects.h"

/* What a successful acquisition holds. */
typedef enum rc_lock_hold {
  RC_HOLD_WRITE, /* exclusive: mutex, spinlock, rwlock for writing */
  RC_HOLD_READ,  /* shared: rwlock for reading */
  RC_HOLD_NONE   /* a permit, not a held lock: semaphore */
} rc_lock_hold;

/* `t` asks for `lock_id` at `site` (exclusively when `write`), waiting as
 * `wait` says. Not for semaphores (no order among permits). */
static inline void rc_lock_before(rc_thread *t, uint32_t lock_id,
                                  const rc_site *site, bool write,
                                  rc_lock_wait wait) {
  rc_lock_order_acquire(t, lock_id, site, write, wait);
}

/* The lock is unavailable and `t` blocks for it (`op`, the operation it
 * retries); idempotent while the same wait goes on. */
static inline void rc_lock_blocked(rc_thread *t, uint32_t lock_id,
                                   rc_op_kind op, const rc_site *site) {
  rc_starvation_lock_wait(t, lock_id, op, site);
}

/* A try found the lock unavailable: the request ends unsatisfied. */
static inline void rc_lock_try_failed(rc_thread *t) {
  rc_fair_yield(t->tid); /* a failed try: let others run */
}

/* A timed request's deadline passed while `t` waited: it ends unsatisfied. */
static inline void rc_lock_timed_out(rc_thread *t, uint32_t lock_id) {
  rc_starvation_lock_gave_up(t, lock_id);
}

/* `t` acquired the lock. */
static inline void rc_lock_after(rc_thread *t, uint32_t lock_id, rc_op_kind op,
                                 const rc_site *site, rc_lock_hold hold) {
  rc_starvation_lock_acquired(t, lock_id, op, site);
  if (hold != RC_HOLD_NONE)
    rc_held_add(t, lock_id, site, hold == RC_HOLD_WRITE);
}

/* An unlock call reaches the model (before it checks anything): under
 * lock-step schedules a release is a scheduling point too. */
static inline void rc_lock_unlock_point(rc_op_kind op, const void *object,
                                        const rc_site *site) {
  if (rc_fair_lockstep_releases())
    rc_schedule(op, object, site);
}

/* `holder` is about to give up (one hold of) the lock. */
static inline void rc_lock_before_unlock(rc_thread *holder, uint32_t lock_id) {
  rc_held_remove(holder, lock_id);
}

#endif /* RACECHECK_LOCK_EVENTS_H */
