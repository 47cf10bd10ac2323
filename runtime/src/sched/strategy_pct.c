/* strategy_pct.c — PCT, probabilistic concurrency testing (Burckhardt,
 * Kothari, Musuvathi & Nagarakatte, "A Randomized Scheduler with
 * Probabilistic Guarantees of Finding Bugs", ASPLOS'10).
 *
 * Every thread gets a random distinct priority above d when it first
 * appears; at each scheduling point the enabled thread with the highest
 * priority runs. d-1 change points k_1..k_{d-1}, drawn uniformly from the k
 * scheduling points of a run, lower the priority of the thread that reaches
 * step k_i to i (below every initial priority). For a program with n threads
 * and k steps, one run finds any given bug of depth d (d ordering
 * constraints between operations) with probability at least
 * 1/(n * k^(d-1)) — unlike a uniform random walk, whose odds fall
 * exponentially with the distance between the racing operations.
 *
 * Options: strategy=pct, pct_depth=d (default 3), pct_steps=k (0: 10000;
 * `racecheck run --schedules` passes the step count of its first run). The
 * step counter is the point's step, the index of every scheduling point,
 * with or without a real choice.
 *
 * Strict priorities starve: a high-priority thread spinning on a flag that a
 * lower one must set would spin forever. As in practical PCT schedulers, a
 * thread that yields (yield, spin wait, sleep) or that was picked
 * RC_PCT_MAX_RUN times in a row while others could run is demoted below
 * every thread not demoted yet (but above the change-point priorities), the
 * latest demotion lowest; this turns spinning into round-robin. A thread
 * waiting for time, offered among the enabled ones (strategy.h), is picked
 * only when no enabled thread is. */
#include "sched/strategy.h"

#include <stdio.h>

#define RC_PCT_DEFAULT_STEPS 10000
#define RC_PCT_MAX_RUN 200
/* Initial priorities live in [2^41, 2^41 + 2^40); demotions count down from
 * 2^40; change points are 1..d-1. */
#define RC_PCT_INITIAL_BASE (1ull << 41)
#define RC_PCT_DEMOTED_BASE (1ull << 40)

typedef struct rc_pct_state {
  rc_rng rng;
  uint64_t depth;      /* d */
  uint64_t steps;      /* k */
  uint64_t *change_at; /* d-1 steps, in draw order: change point i+1 */
  uint64_t *priority;  /* by tid; 0: not seen yet */
  uint32_t priority_cap;
  uint64_t demotions;
  rc_tid last_pick;
  uint64_t run_length; /* consecutive real choices of last_pick */
} rc_pct_state;

static rc_pct_state pct;
static char pct_name[32];

static uint64_t priority_of(rc_tid tid) {
  if (tid >= pct.priority_cap) {
    uint32_t cap = pct.priority_cap ? pct.priority_cap : 16;
    while (cap <= tid)
      cap *= 2;
    pct.priority = rc_realloc(pct.priority, pct.priority_cap * sizeof(uint64_t),
                              cap * sizeof(uint64_t));
    pct.priority_cap = cap;
  }
  if (pct.priority[tid] == 0)
    /* Random, above every demoted and change-point priority; the 40-bit
     * range makes equal draws negligible, and ties go to the lower tid, so
     * the choice stays deterministic anyway. */
    pct.priority[tid] =
        RC_PCT_INITIAL_BASE + rc_rng_below(&pct.rng, 1ull << 40);
  return pct.priority[tid];
}

static void demote(rc_tid tid) {
  priority_of(tid);
  if (pct.priority[tid] >= pct.depth) /* not below a change point already */
    pct.priority[tid] = RC_PCT_DEMOTED_BASE - ++pct.demotions;
}

/* A thread waiting for time (a sleep, a timed wait) ranks below every
 * enabled one: under strict priorities a waiter above a thread lowered at a
 * change point would time out again and again, and that thread, which the
 * wait natively leaves the time to run, would never run. It still wakes
 * when the enabled threads block or yield to it (the fair layer). */
static uint64_t rank_of(const rc_sched_point *point, rc_tid tid) {
  uint64_t p = priority_of(tid);
  return rc_thread_waits_for_time(point->threads[tid]) ? p : p | (1ull << 62);
}

static void pct_begin(rc_strategy *self, uint64_t seed,
                      const rc_options *options) {
  (void)self;
  rc_rng_seed(&pct.rng, seed);
  pct.depth = options->pct_depth ? options->pct_depth : 1;
  pct.steps = options->pct_steps ? options->pct_steps : RC_PCT_DEFAULT_STEPS;
  pct.change_at = rc_alloc(pct.depth * sizeof(uint64_t));
  for (uint64_t i = 0; i + 1 < pct.depth; i++)
    pct.change_at[i] = 1 + rc_rng_below(&pct.rng, pct.steps);
}

static rc_tid pct_pick(rc_strategy *self, const rc_sched_point *point) {
  (void)self;
  for (uint64_t i = 0; i + 1 < pct.depth; i++)
    if (pct.change_at[i] == point->step) {
      priority_of(point->current);
      pct.priority[point->current] = i + 1;
    }
  rc_op_kind op = point->threads[point->current]->pending.kind;
  if (op == RC_OP_YIELD || op == RC_OP_SPIN_WAIT || op == RC_OP_SLEEP)
    demote(point->current);
  if (point->n_enabled > 1 && pct.run_length >= RC_PCT_MAX_RUN) {
    demote(pct.last_pick);
    pct.run_length = 0;
  }
  rc_tid best = point->enabled[0];
  uint64_t best_priority = rank_of(point, best);
  for (uint32_t i = 1; i < point->n_enabled; i++) {
    uint64_t p = rank_of(point, point->enabled[i]);
    if (p > best_priority) {
      best = point->enabled[i];
      best_priority = p;
    }
  }
  if (point->n_enabled > 1) {
    pct.run_length = best == pct.last_pick ? pct.run_length + 1 : 1;
    pct.last_pick = best;
  }
  return best;
}

static uint64_t pct_random(rc_strategy *self, uint64_t bound) {
  (void)self;
  return rc_rng_below(&pct.rng, bound);
}

static rc_strategy pct_strategy = {
    .name = pct_name,
    .begin = pct_begin,
    .pick = pct_pick,
    .random = pct_random,
};

rc_strategy *rc_strategy_pct(const rc_options *options) {
  snprintf(pct_name, sizeof pct_name, "pct:%llu",
           (unsigned long long)(options->pct_depth ? options->pct_depth : 1));
  return &pct_strategy;
}
