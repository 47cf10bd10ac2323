/* strategy_random.c — the "random" scheduling strategy: a random walk over
 * the interleavings (cf. the naive random scheduler that PCT, Burckhardt et
 * al. ASPLOS'10, improves on) whose preemptions thin out as a run grows.
 *
 * For the first K points (option random_decay_steps) every point is a
 * uniform choice among the enabled threads. After, at point s, a thread
 * that could go on keeps running unless a draw with probability K/s says to
 * choose uniformly, so a run of S points makes about K(1 + ln(S/K))
 * preemption attempts instead of about S: a few thousand in a run of
 * millions of lock operations, which natively would also switch a few
 * hundred times a second. Most concurrency bugs need few preemptions
 * (Musuvathi & Qadeer, "Iterative context bounding", PLDI'07; Thomson,
 * Donaldson & Betts, "Concurrency testing using controlled schedulers: an
 * empirical study", PPoPP'14), and a data race needs none once the
 * happens-before order between its accesses is absent: the points that
 * order critical sections stay uniform choices. Those are the points where
 * the running thread cannot go on (it blocked or finished), yields (yield,
 * spin wait, sleep, whatever the fair layer counts), or has just released a
 * blocked thread, so that who takes a contended resource next is a fair
 * coin and lock-induced happens-before goes either way; and the starvation
 * rule's odds (a waiter wins each round with probability about 1/k) hold.
 * K = 0 gives the uniform choice at every point. The first K points consume
 * the random stream exactly as the uniform walk does, so short runs
 * schedule as they did before.
 *
 * Past K the walk does not toss a coin at every point: after an attempt at
 * point s it draws the distance to the next one, geometric with the
 * probability K/s (one draw, rc_rng_geometric), and keeps the running
 * thread at every point before it. Over the distance, about s/K points,
 * K/s changes by a factor of about 1 + 1/K, so the attempts fall as the
 * per-point coin placed them (about K(1 + ln(S/K)) in S points); and
 * because nothing is drawn in between, the scheduler may skip those picks
 * (keeps_until), which makes a kept point one that only counts. */
#include "sched/strategy.h"

typedef struct rc_random_state {
  rc_rng rng;
  uint64_t decay_steps; /* K */
  /* The step of the next preemption attempt; 0 until the first point past
   * K, where the first attempt falls. */
  uint64_t next_attempt;
} rc_random_state;

static rc_random_state random_state;

static void random_begin(rc_strategy *self, uint64_t seed,
                         const rc_options *options) {
  rc_random_state *s = self->state;
  rc_rng_seed(&s->rng, seed);
  s->decay_steps = options->random_decay_steps;
  s->next_attempt = 0;
}

/* Whether the point is past the uniform stretch and its thread could go on,
 * so that only a preemption attempt would switch away. */
static bool decays_here(const rc_random_state *s, const rc_sched_point *point) {
  if (s->decay_steps == 0 || point->step <= s->decay_steps || point->released)
    return false;
  /* not when blocked, finished, yielding, or withheld by the fair layer */
  return rc_point_current_may_go_on(point);
}

static rc_tid random_pick(rc_strategy *self, const rc_sched_point *point) {
  rc_random_state *s = self->state;
  if (point->n_enabled == 1)
    return point->enabled[0]; /* no choice: keep the stream for real ones */
  if (!decays_here(s, point))
    return point->enabled[rc_rng_below(&s->rng, point->n_enabled)];
  if (point->step < s->next_attempt)
    return point->current;
  rc_tid chosen = point->enabled[rc_rng_below(&s->rng, point->n_enabled)];
  /* The points kept before the next attempt: each would attempt with
   * probability K/step. */
  s->next_attempt =
      point->step + 1 + rc_rng_geometric(&s->rng, s->decay_steps, point->step);
  return chosen;
}

static uint64_t random_keeps_until(rc_strategy *self) {
  return ((rc_random_state *)self->state)->next_attempt;
}

static uint64_t random_random(rc_strategy *self, uint64_t bound) {
  return rc_rng_below(&((rc_random_state *)self->state)->rng, bound);
}

static rc_strategy random_strategy = {
    .name = "random",
    .begin = random_begin,
    .pick = random_pick,
    .random = random_random,
    .keeps_until = random_keeps_until,
    .state = &random_state,
};

rc_strategy *rc_strategy_random(void) { return &random_strategy; }
