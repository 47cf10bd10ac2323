/* sync/lock_events.c — the lock events of sync/lock_events.h delivered to
 * the parts of the runtime that watch locks: lock order (lock_order.c),
 * starvation (starvation.c), fairness (fairness.c) and the per-thread held
 * locks (sync.c). */
#include "sync/lock_events.h"

#include "detect/starvation.h"
#include "sched/fairness.h"
#include "sched/scheduler.h"

void rc_lock_before(rc_thread *t, uint32_t lock_id, const rc_site *site,
                    bool write, rc_lock_wait wait) {
  rc_lock_order_acquire(t, lock_id, site, write, wait);
}

void rc_lock_blocked(rc_thread *t, uint32_t lock_id, rc_op_kind op,
                     const rc_site *site) {
  rc_starvation_lock_wait(t, lock_id, op, site);
}

void rc_lock_try_failed(rc_thread *t) {
  rc_fair_yield(t->tid); /* a failed try: let others run */
}

void rc_lock_timed_out(rc_thread *t, uint32_t lock_id) {
  rc_starvation_lock_gave_up(t, lock_id);
}

void rc_lock_after(rc_thread *t, uint32_t lock_id, rc_op_kind op,
                   const rc_site *site, rc_lock_hold hold) {
  rc_starvation_lock_acquired(t, lock_id, op, site);
  if (hold != RC_HOLD_NONE)
    rc_held_add(t, lock_id, site, hold == RC_HOLD_WRITE);
}

void rc_lock_unlock_point(rc_op_kind op, const void *object,
                          const rc_site *site) {
  if (rc_fair_lockstep_releases())
    rc_schedule(op, object, site);
}

void rc_lock_before_unlock(rc_thread *holder, uint32_t lock_id) {
  rc_held_remove(holder, lock_id);
}
