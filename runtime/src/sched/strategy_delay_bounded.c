/* strategy_delay_bounded.c — "db-N": delay bounding (Emmi, Qadeer &
 * Rakamaric, "Delay-Bounded Scheduling", POPL'11): a deterministic
 * scheduler, deviated from by at most N delays.
 *
 * The deterministic scheduler is non-preemptive round-robin: the running
 * thread goes on while it may (rc_point_current_may_go_on: offered, not
 * yielding); when it blocks, ends, yields or the fair layer withholds it,
 * the next offered thread after it in tid order runs (a thread waiting for
 * time only when no runnable one is offered). A delay at a choice point
 * (a point with more than one offered thread; the choice points of a run
 * are numbered 0, 1, 2...) skips the thread the scheduler would run for the
 * next one in cyclic tid order; d delays at one point skip d threads. The
 * seed picks the multiset of delayed choice points (bounded_choices.h:
 * seed 0 is the deterministic schedule, then every multiset of 1..N points
 * in turn), so every schedule with c <= N delays among the first K choice
 * points is run by a seed below 1 + N * C(K + c - 1, c): the enumeration is
 * exact and nothing in a run is random but the forced-preemption budgets,
 * which come from a stream of the seed.
 *
 * A thread kept running for RC_BOUNDED_RUN_LIMIT choice points in a row
 * while others could run (a loop polling memory the fair layer does not
 * see) is passed over by the round-robin, costing no delay. */
#include "sched/bounded_choices.h"
#include "sched/strategy.h"

#include <stdio.h>

static struct {
  rc_rng value_rng;
  uint32_t bound;
  rc_bounded_choices delay_at;
  uint32_t cursor;
  uint64_t choice_points;
  rc_tid last;
  uint64_t run_length;
} db;

static char db_name[32];

static void db_begin(rc_strategy *self, uint64_t seed,
                     const rc_options *options) {
  (void)self;
  (void)options;
  rc_rng_seed(&db.value_rng, seed ^ 0x3c6ef372fe94f82bull);
  rc_bounded_choices_of(seed, db.bound, true, &db.delay_at);
  db.cursor = 0;
  db.choice_points = 0;
  db.last = 0;
  db.run_length = 0;
}

/* Position in point->enabled of the first offered thread after `tid` in
 * cyclic tid order, preferring threads not waiting for time. */
static uint32_t next_after(const rc_sched_point *point, rc_tid tid) {
  uint32_t n = point->n_enabled, first = 0;
  while (first < n && point->enabled[first] <= tid)
    first++;
  for (uint32_t k = 0; k < n; k++) {
    uint32_t i = (first + k) % n;
    if (!rc_thread_waits_for_time(point->threads[point->enabled[i]]))
      return i;
  }
  return first % n;
}

static rc_tid db_pick(rc_strategy *self, const rc_sched_point *point) {
  (void)self;
  uint32_t n = point->n_enabled;
  if (n == 1) {
    if (db.last != point->enabled[0])
      db.run_length = 0;
    db.last = point->enabled[0];
    return db.last;
  }
  uint32_t at;
  bool starving =
      db.last == point->current && db.run_length >= RC_BOUNDED_RUN_LIMIT;
  if (rc_point_current_may_go_on(point) && !starving) {
    at = 0;
    while (point->enabled[at] != point->current)
      at++;
  } else {
    at = next_after(point, point->current);
  }
  uint32_t delays =
      rc_bounded_choices_at(&db.delay_at, &db.cursor, db.choice_points++);
  rc_tid chosen = point->enabled[(at + delays) % n];
  db.run_length = chosen == db.last ? db.run_length + 1 : 1;
  db.last = chosen;
  return chosen;
}

static uint64_t db_random(rc_strategy *self, uint64_t bound) {
  (void)self;
  return rc_rng_below(&db.value_rng, bound);
}

static rc_strategy db_strategy = {
    .name = db_name,
    .begin = db_begin,
    .pick = db_pick,
    .random = db_random,
};

rc_strategy *rc_strategy_delay_bounded(uint32_t bound) {
  db.bound = bound;
  snprintf(db_name, sizeof db_name, "db:%u", bound);
  return &db_strategy;
}
