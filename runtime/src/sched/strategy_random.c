/* strategy_random.c — the "random" scheduling strategy: at every scheduling
 * point, a uniform choice among the enabled threads (a random walk over the
 * interleavings; cf. the naive random scheduler that PCT, Burckhardt et al.
 * ASPLOS'10, improves on). */
#include "sched/strategy.h"

static rc_rng random_rng;

static void random_begin(rc_strategy *self, uint64_t seed,
                         const rc_options *options) {
  (void)options;
  rc_rng_seed((rc_rng *)self->state, seed);
}

static rc_tid random_pick(rc_strategy *self, const rc_sched_point *point) {
  if (point->n_enabled == 1)
    return point->enabled[0]; /* no choice: keep the stream for real ones */
  return point->enabled[rc_rng_below((rc_rng *)self->state, point->n_enabled)];
}

static uint64_t random_random(rc_strategy *self, uint64_t bound) {
  return rc_rng_below((rc_rng *)self->state, bound);
}

static rc_strategy random_strategy = {
    .name = "random",
    .begin = random_begin,
    .pick = random_pick,
    .random = random_random,
    .state = &random_rng,
};

rc_strategy *rc_strategy_random(void) { return &random_strategy; }
