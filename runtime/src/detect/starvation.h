/* starvation.h — bypass counting for starvation findings (starvation.c).
 *
 * A thread waiting to acquire a resource is *bypassed* each time another
 * thread acquires that resource while it waits. Resources are lock
 * identities (mutex, spinlock, rwlock in either mode, semaphore) and atomic
 * locations used as spin locks (a thread failing a compare-and-swap, or a
 * test-and-set that finds the location already set, waits on it). A wait
 * bypassed at least `starvation_bypasses` times that ended only once none of
 * its bypassers asked for the resource any more (or never ended) is
 * reported at the end of the run as a `starvation` finding per (resource,
 * starving thread); one that ended while they still competed was bounded.
 *
 * Cost: nothing is tracked for a resource until a thread first waits for
 * it; an uncontended acquisition pays one bounds check and one load
 * (rc_starvation_tracks). */
#ifndef RACECHECK_STARVATION_H
#define RACECHECK_STARVATION_H

#include "core/runtime.h"

struct rc_starve_resource;
/* by lock id: the resource's tracking state, null until its first waiter */
extern struct rc_starve_resource **rc_starvation_by_lock;
extern uint32_t rc_starvation_by_lock_count;

static inline bool rc_starvation_tracks(uint32_t lock_id) {
  return lock_id < rc_starvation_by_lock_count &&
         rc_starvation_by_lock[lock_id] != 0;
}

/* ---- lock identities (blocking resources) ----
 * `t` found lock `lock_id` unavailable and is about to block for it (`op`
 * at `site`); idempotent while the same wait goes on. */
void rc_starvation_lock_wait(rc_thread *t, uint32_t lock_id, rc_op_kind op,
                             const rc_site *site);
/* `t` acquired the lock: ends its own wait, bypasses every other waiter. */
void rc_starvation_lock_acquired_slow(rc_thread *t, uint32_t lock_id,
                                      rc_op_kind op, const rc_site *site);
static inline void rc_starvation_lock_acquired(rc_thread *t, uint32_t lock_id,
                                               rc_op_kind op,
                                               const rc_site *site) {
  if (RC_UNLIKELY(rc_starvation_tracks(lock_id)))
    rc_starvation_lock_acquired_slow(t, lock_id, op, site);
}
/* `t` stopped waiting without the lock (time-out). */
void rc_starvation_lock_gave_up(rc_thread *t, uint32_t lock_id);

/* ---- atomic locations used as spin locks ----
 * Called for every atomic operation once it is scheduled, just before it
 * executes. `cas_success` is the compare-exchange outcome (true for other
 * kinds), `expected` its comparand. */
void rc_starvation_atomic_slow(rc_thread *t, const void *addr, unsigned size,
                               unsigned kind, bool cas_success,
                               unsigned long long expected,
                               const rc_site *site);
/* an RMW whose written value is still to be seen (starvation.c) */
extern bool rc_starvation_rmw_pending;
static inline void rc_starvation_atomic(rc_thread *t, const void *addr,
                                        unsigned size, unsigned kind,
                                        bool cas_success,
                                        unsigned long long expected,
                                        const rc_site *site) {
  /* plain loads and stores matter only to resolve a pending RMW */
  if (RC_LIKELY(!rc_starvation_rmw_pending) &&
      (kind == __racecheck_atomic_load || kind == __racecheck_atomic_store))
    return;
  rc_starvation_atomic_slow(t, addr, size, kind, cas_success, expected, site);
}

/* An integer RMW (`changes`: it surely changes the value, an add of a
 * non-zero operand). Such an RMW never finds a spin lock set, so it only
 * matters as an acquisition of a spin lock some thread waits on at `addr`:
 * with no spin lock anywhere and no RMW pending it costs a test, not two
 * reads of the location (before it and at the next point). */
void rc_starvation_rmw_slow(rc_thread *t, const void *addr, unsigned size,
                            bool changes, const rc_site *site);
/* some atomic location has been waited on as a spin lock */
extern bool rc_starvation_spin_any;
static inline void rc_starvation_rmw(rc_thread *t, const void *addr,
                                     unsigned size, bool changes,
                                     const rc_site *site) {
  if (RC_LIKELY(changes && !rc_starvation_rmw_pending &&
                !rc_starvation_spin_any))
    return;
  rc_starvation_rmw_slow(t, addr, size, changes, site);
}

/* Reads what the pending RMW wrote. It has executed by the next scheduling
 * point, and the location may be freed, unmapped or a joined thread's stack
 * released before the next atomic operation: the runtime never reads it
 * past that (scheduler.c and the freeing paths call this). */
void rc_starvation_settle_slow(void);
static inline void rc_starvation_settle(void) {
  if (RC_UNLIKELY(rc_starvation_rmw_pending))
    rc_starvation_settle_slow();
}

/* ---- end of run ----
 * Adds one RC_FINDING_STARVATION per (resource, thread) whose most
 * bypassed wait its bypassers stopped competing after reached the threshold
 * (open waits count up to now). Not
 * under the pct strategy, whose priorities bypass a low-priority thread by
 * construction. Idempotent. */
void rc_starvation_finish(void);
/* Forget everything (unit tests). */
void rc_starvation_reset(void);

#endif /* RACECHECK_STARVATION_H */
