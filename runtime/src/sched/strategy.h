/* sched/strategy.h — the scheduling strategy interface: begin an execution,
 * pick the next thread among the enabled ones at a scheduling point, give a
 * random value for the other choices (after Shuttle's Scheduler and
 * Coyote's strategies). One file per strategy (strategy_*.c), the registry
 * by name in strategy_registry.c.
 *
 * A strategy reads the run only through what it is handed: the options and
 * seed at begin, the scheduling point at pick (who reached it, who may run,
 * the step, every thread's pending operation). It never moves the run token
 * nor reads the runtime object; the scheduler (scheduler.c) does both. */
#ifndef RACECHECK_SCHED_STRATEGY_H
#define RACECHECK_SCHED_STRATEGY_H

#include "core/runtime.h"

typedef struct rc_sched_point {
  rc_tid current;        /* thread that reached the point */
  const rc_tid *enabled; /* sorted ascending, n_enabled >= 1 */
  uint32_t n_enabled;
  uint64_t step; /* index of this point in the run */
  /* Every thread by tid, for its pending operation and status; also the
   * enabled ones the fair layer filtered out of `enabled`. Read only. */
  const rc_thread *const *threads;
  uint32_t n_threads;
  /* `current` released a blocked thread (unlock, post, signal, ...) since
   * its previous point: who takes what was released is worth a choice. */
  bool released;
} rc_sched_point;

/* A thread blocked in a sleep, a timed wait or a multiplexer's wait with a
 * deadline is offered in `enabled` like an enabled thread: it can still act
 * (picking it ends its wait as a time-out would; the scheduler moves virtual
 * time). Strategies need not know more about time than this. */
static inline bool rc_thread_waits_for_time(const rc_thread *t) {
  return t->status == RC_THREAD_BLOCKED && t->timed_deadline_ns != 0;
}

/* Is `tid` among the threads offered at `point` (after the fair layer)? */
static inline bool rc_point_offers(const rc_sched_point *point, rc_tid tid) {
  for (uint32_t i = 0; i < point->n_enabled; i++)
    if (point->enabled[i] == tid)
      return true;
  return false;
}

/* Could the thread that reached `point` go on running, so that switching
 * away is a preemption? Only when it is offered (the fair layer withholds a
 * thread whose compare-exchange failed or that re-read an unchanged atomic
 * while others it kept waiting are enabled) and does not give the processor
 * up on its own (yield, spin wait, sleep). Strategies, the switch log and
 * the shrinker's guided runs all count preemptions by this one rule, so a
 * shrunk schedule replays under the same fair filter it was made under. */
bool rc_point_current_may_go_on(const rc_sched_point *point);

typedef struct rc_strategy {
  const char *name;
  /* Once per execution, before the first pick; `options` stay valid for
   * the whole run. */
  void (*begin)(struct rc_strategy *self, uint64_t seed,
                const rc_options *options);
  rc_tid (*pick)(struct rc_strategy *self, const rc_sched_point *point);
  /* deterministic value in [0, bound) for choices other than threads */
  uint64_t (*random)(struct rc_strategy *self, uint64_t bound);
  /* Optional (null: never skipped). Asked after each pick: a step S such
   * that at every later point with a step below S where the thread that
   * reached it may go on (rc_point_current_may_go_on) and released
   * nothing, pick would return that thread and change no state of its
   * own. The scheduler then keeps the thread there without asking, so
   * those points only count (a random walk's distance to its next
   * preemption attempt, a replay's next recorded switch). 0: no promise.
   * Points whose operation kind is in asks_at are not covered. */
  uint64_t (*keeps_until)(struct rc_strategy *self);
  /* Operation kinds (bit 1 << kind) at which the scheduler always asks
   * pick, promise or not: the ones the strategy reacts to. */
  uint64_t asks_at;
  void *state;
} rc_strategy;
_Static_assert(RC_OP_COUNT <= 64, "asks_at holds a bit per operation kind");

/* ---- strategy_registry.c ---- */
/* The strategy called `name` configured from `options`; null if unknown. */
rc_strategy *rc_strategy_by_name(const char *name, const rc_options *options);

/* ---- one file per strategy ---- */
rc_strategy *rc_strategy_random(void);
rc_strategy *rc_strategy_pct(const rc_options *options);
/* strategy_lockstep.c: round-robin at every scheduling point while threads
 * attempt or retry, the random walk in between */
rc_strategy *rc_strategy_lockstep(void);
/* strategy_directed.c: DeadlockFuzzer-style confirmation of a lock-order
 * cycle (options directed_targets, seed) */
rc_strategy *rc_strategy_directed(void);
/* strategy_guided.c: follows a guide (option guide=PATH) and otherwise
 * never preempts; see docs/schedule-format.md */
rc_strategy *rc_strategy_guided(void);
/* strategy_race_directed.c: the race-directed second phase (race_points.c
 * connects it to the accesses and the schedule file) */
rc_strategy *rc_strategy_race_directed(void);
/* A plain access by `t` at `site` at scheduling step `step`: true when the
 * thread is to pause right before it (a new scheduling point). */
bool rc_race_directed_access(const rc_thread *t, const rc_site *site,
                             uint64_t step);
/* The targets of this run (from the targets file or the replayed header). */
struct rc_race_target;
const struct rc_race_target *rc_race_directed_targets(uint32_t *n_out);

/* strategy_preemption_bounded.c, strategy_delay_bounded.c: the bounded
 * searches, named "pb-N" and "db-N" (N = 1..16, the bound) */
rc_strategy *rc_strategy_preemption_bounded(uint32_t bound);
rc_strategy *rc_strategy_delay_bounded(uint32_t bound);

/* ---- strategy_replay.c ----
 * Loads options->replay, checks the binary identity, copies the recorded
 * strategy/seed/budgets into `options` and returns a strategy that wraps
 * the recorded one (so every non-thread choice, e.g. preemption budgets,
 * comes from the same random stream) but takes thread choices from the
 * file, stopping with a divergence message when the run departs from it. */
rc_strategy *rc_strategy_replay_setup(rc_options *options);
/* The strategy the schedule was recorded with, kept in step by the replay:
 * a forked child goes on with it (the file holds the parent's choices). */
rc_strategy *rc_strategy_replay_recorded(void);
/* At finalisation, after `steps` scheduling points: stop with a message
 * when recorded decisions were left. */
void rc_strategy_replay_check_complete(uint64_t steps);

#endif /* RACECHECK_SCHED_STRATEGY_H */
