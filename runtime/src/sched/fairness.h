/* fairness.h — the fair scheduling layer (fairness.c): a priority relation
 * between threads, applied as a filter on the enabled set before the
 * strategy picks, so that a thread that yields gives way to the threads it
 * has kept waiting (CHESS, Musuvathi & Qadeer, "Fair stateless model
 * checking", PLDI'08). Private to the scheduling half of the runtime.
 *
 * The relation works on dense thread ids and step numbers only, so it is a
 * pure function of the run's events: a replay rebuilds the same filter. */
#ifndef RACECHECK_FAIRNESS_H
#define RACECHECK_FAIRNESS_H

#include "core/runtime.h"

/* Whether the layer is on (option `fair`); the hooks below are no-ops when
 * it is off. */
bool rc_fair_enabled(void);

/* The transition `tid` is running counts as a yield: it failed a trylock or
 * a compare-and-swap, re-read an unchanged atomic, or its timed wait timed
 * out. Takes effect at the end of the transition (its next scheduling
 * point). */
void rc_fair_yield(rc_tid tid);

/* Whether the transition of `tid` ending at this point failed (a flagged
 * yield: failed trylock or compare-and-swap, unchanged atomic re-read,
 * timed-out wait). Voluntary yields and sleeps are not failures. Does not
 * consume the flag. */
bool rc_fair_transition_failed(rc_tid tid);

/* At a scheduling point: the transition of `self` (ending here, declaring
 * `kind`) is accounted, then `enabled` (n ascending tids, n >= 1) is
 * filtered in place to the threads no enabled thread has priority over.
 * Returns the new count (>= 1: the relation is acyclic). `n_threads` bounds
 * every tid. */
uint32_t rc_fair_filter(rc_tid self, rc_op_kind kind, rc_tid *enabled,
                        uint32_t n, uint32_t n_threads, uint64_t step);

/* The same accounting for a point whose enabled set is the one the latest
 * rc_fair_filter saw and kept whole (the scheduler knows no thread's state
 * changed since), without walking it: true when that filter would keep it
 * whole again (no priority edges, or one thread) and the transition did
 * not yield; false, having changed nothing, when rc_fair_filter must run. */
bool rc_fair_filter_again(rc_tid self, rc_op_kind kind, uint32_t n,
                          uint64_t step);

/* The strategy picked `chosen` at `step`: edges towards it are dropped (the
 * threads that yielded to it have been waited for). */
void rc_fair_scheduled(rc_tid chosen, uint64_t step);
/* The same after rc_fair_filter_again said yes. */
void rc_fair_scheduled_again(rc_tid chosen, uint64_t step);
/* rc_fair_filter_again, then on yes rc_fair_scheduled_again of `self`: a
 * point that keeps the thread that reached it, in one call. */
bool rc_fair_kept(rc_tid self, rc_op_kind kind, uint32_t n, uint64_t step);
/* What rc_fair_kept writes at step s: *last_step = s, *last_failed = 0,
 * *scheduled_step = s + 1 (somewhere harmless when the layer is off). */
typedef struct rc_fair_kept_slots {
  uint64_t *last_step;
  rc_tid *last_failed;
  uint64_t *scheduled_step;
} rc_fair_kept_slots;
/* True, filling `slots`, when rc_fair_kept(self, kind, n, step) would keep
 * `self` by those three writes alone for any kind that does not yield,
 * until a thread's state changes: no priority edges, `self` known and its
 * transition not yielding. A yield flagged later (rc_fair_yield, a spin
 * read) moves g_rt.sched_generation, which the scheduler's promise of a
 * kept point watches (kept_point.h). */
bool rc_fair_kept_slots_of(rc_tid self, rc_fair_kept_slots *slots);

/* An atomic load or compare-exchange of `tid` at `site` read `value` from
 * `addr`. A load that re-reads an unchanged value at the same site with no
 * plain write by the thread in between, or a failed compare-exchange, is a
 * yield (the thread spins); the first
 * different value read there after such a yield (or the compare-exchange
 * succeeding) ends the spin wait: another thread changed what it waited for,
 * which livelock detection counts as progress. Other read-modify-writes are
 * not watched: an exchange that reads what it writes back cannot be told
 * from a lock taken again by its only user. */
typedef enum rc_atomic_read_kind {
  RC_ATOMIC_READ_LOAD,
  RC_ATOMIC_READ_CAS_OK,
  RC_ATOMIC_READ_CAS_FAILED
} rc_atomic_read_kind;
typedef enum rc_spin_event {
  RC_SPIN_NONE,  /* a first or a changed read, not after spinning */
  RC_SPIN_YIELD, /* unchanged re-read or failed compare-exchange */
  RC_SPIN_END    /* a changed value (or success) after spinning */
} rc_spin_event;
rc_spin_event rc_fair_atomic_read(rc_tid tid, const rc_site *site,
                                  const void *addr, uint64_t value,
                                  rc_atomic_read_kind kind);

/* Lock-step schedules (strategy_lockstep.c) switch after every operation,
 * releases included: unlocking is then a scheduling point too (elsewhere it
 * is not, to halve the points of lock-heavy code). Polite back-off only
 * livelocks when each thread's release can fall between the other's
 * attempts. */
bool rc_fair_lockstep_releases(void);

/* The thread that reached the latest point and whether its transition
 * failed (as accounted by the latest rc_fair_filter), and whether it
 * released a blocked thread (rc_fair_note_release) during it. For the
 * lock-step strategy, which the fair layer runs in front of. */
bool rc_fair_last_transition_failed(rc_tid tid);
/* The step of thread `tid`'s latest pick, plus one; 0: never picked. */
uint64_t rc_fair_scheduled_step(rc_tid tid);
void rc_fair_note_release(rc_tid waker);
bool rc_fair_take_release(rc_tid tid); /* true once per release by tid */

/* Whether `low` currently gives way to `high` (tests, diagnostics). */
bool rc_fair_has_priority_edge(rc_tid low, rc_tid high);
/* Forget everything (unit tests start each scenario afresh). */
void rc_fair_reset(void);

#endif /* RACECHECK_FAIRNESS_H */
