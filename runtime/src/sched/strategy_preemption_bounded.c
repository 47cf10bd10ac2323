/* strategy_preemption_bounded.c — "pb-N": preemption bounding (Musuvathi &
 * Qadeer, "Iterative Context Bounding for Systematic Testing of
 * Multithreaded Programs", PLDI'07, the CHESS search): schedules with at
 * most N preemptions, fewest first.
 *
 * A preemption opportunity is a point with a choice where the running
 * thread could go on (rc_point_current_may_go_on: offered, not yielding);
 * the opportunities of a run are numbered 0, 1, 2... The seed picks the set
 * of opportunities to preempt at (bounded_choices.h: seed 0 none, then
 * every set of 1..N opportunities in turn, so a bug that needs c <= N
 * preemptions among the first K opportunities is reached by a seed below
 * 1 + N * C(K, c) as far as the preemption points go). Everywhere else the
 * running thread goes on. What is sampled, not enumerated, is where each
 * thread switch goes — the other thread a preemption runs, and the thread
 * that runs when the current one blocks, ends or yields (CHESS branches
 * there too, for free) — uniformly from a stream seeded by the seed, so
 * with two threads the enumeration is exact and with n threads a given
 * preemption target is hit with probability 1/(n-1) per preemption.
 *
 * A thread kept running for RC_BOUNDED_RUN_LIMIT choice points in a row
 * while others could run (a loop that polls memory the fair layer does not
 * see) is switched away from without counting against the bound, as
 * CHESS's fairness does. The other random choices (forced-preemption
 * budgets) come from a separate stream of the seed. */
#include "sched/bounded_choices.h"
#include "sched/strategy.h"

#include <stdio.h>
#include <string.h>

static struct {
  rc_rng choice_rng; /* switch targets */
  rc_rng value_rng;  /* the other random choices */
  uint32_t bound;
  rc_bounded_choices preempt_at;
  uint32_t cursor;
  uint64_t opportunities;
  rc_tid last;
  uint64_t run_length;
} pb;

static char pb_name[32];

static void pb_begin(rc_strategy *self, uint64_t seed,
                     const rc_options *options) {
  (void)self;
  (void)options;
  rc_rng_seed(&pb.choice_rng, seed);
  rc_rng_seed(&pb.value_rng, seed ^ 0xbb67ae8584caa73bull);
  rc_bounded_choices_of(seed, pb.bound, false, &pb.preempt_at);
  pb.cursor = 0;
  pb.opportunities = 0;
  pb.last = 0;
  pb.run_length = 0;
}

/* A uniform choice among the offered threads other than `tid` (all of them
 * when `tid` is not offered). */
static rc_tid other_than(const rc_sched_point *point, rc_tid tid) {
  bool offered = rc_point_offers(point, tid);
  uint64_t i = rc_rng_below(&pb.choice_rng, point->n_enabled - offered);
  for (uint32_t j = 0; j < point->n_enabled; j++) {
    if (point->enabled[j] == tid)
      continue;
    if (i-- == 0)
      return point->enabled[j];
  }
  return point->enabled[0];
}

static rc_tid pb_choose(const rc_sched_point *point) {
  if (point->n_enabled == 1)
    return point->enabled[0];
  if (!rc_point_current_may_go_on(point))
    return other_than(point, point->current); /* free: not a preemption */
  bool preempt =
      rc_bounded_choices_at(&pb.preempt_at, &pb.cursor, pb.opportunities++) > 0;
  bool starving =
      pb.last == point->current && pb.run_length >= RC_BOUNDED_RUN_LIMIT;
  return preempt || starving ? other_than(point, point->current)
                             : point->current;
}

static rc_tid pb_pick(rc_strategy *self, const rc_sched_point *point) {
  (void)self;
  rc_tid chosen = pb_choose(point);
  if (point->n_enabled > 1)
    pb.run_length = chosen == pb.last ? pb.run_length + 1 : 1;
  pb.last = chosen;
  return chosen;
}

static uint64_t pb_random(rc_strategy *self, uint64_t bound) {
  (void)self;
  return rc_rng_below(&pb.value_rng, bound);
}

static rc_strategy pb_strategy = {
    .name = pb_name,
    .begin = pb_begin,
    .pick = pb_pick,
    .random = pb_random,
};

rc_strategy *rc_strategy_preemption_bounded(uint32_t bound) {
  pb.bound = bound;
  snprintf(pb_name, sizeof pb_name, "pb:%u", bound);
  return &pb_strategy;
}
