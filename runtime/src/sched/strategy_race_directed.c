/* strategy_race_directed.c — the "race-directed" strategy of exploration's
 * second phase: makes a racy access pair seen in phase 1 happen the other
 * way round, so bugs that show only then (an assertion, a crash, another
 * output) are reached. In the spirit of RaceFuzzer (Sen, "Race Directed
 * Random Testing of Concurrent Programs", PLDI'08), which pauses a thread
 * at one access of a racing pair until another thread reaches the other.
 *
 * Options: strategy=race-directed, race_targets=PATH (a targets file,
 * docs/schedule-format.md), seed. Plain accesses are no scheduling points
 * normally; while a target is armed, shadow.c calls rc_race_access_point
 * (race_points.c, which asks rc_race_directed_access here) on
 * its slow path (the first access of a granule in an epoch; never for
 * atomics or the runtime's own accesses such as a free), and the first
 * thread reaching a target's delay site there stops at a new scheduling
 * point (operation memory_access) and is paused: not picked while another
 * thread can run. The pause ends when another thread passes the target's
 * until site (the access now happens after it) or when no other thread can
 * run (never a deadlock of our own making), or after race_pause_steps
 * scheduling points (the other access may only be reachable once the paused
 * one happened, e.g. a spin on the flag the paused write sets; RaceFuzzer
 * bounds its postponement the same way). Each target pauses once.
 *
 * Otherwise the choice is uniform, like `random`; thread choices and other
 * choices (preemption budgets) come from two streams, and the pause state
 * changes only with the accesses and the set of enabled threads — never
 * with the random choice — so a replay, which takes the targets from the
 * schedule header (`phase 2`, `race_target` lines) and the thread choices
 * from the file, makes the same access points. */
#include "sched/scheduler.h"
#include "sched/strategy.h"
#include "record/schedule.h"

#include <string.h>

bool rc_race_points_active;

typedef struct rc_race_state {
  rc_rng choice_rng;
  rc_rng value_rng;
  rc_race_target *targets;
  uint32_t n_targets;
  rc_tid *allowed;
  uint32_t allowed_cap;
  const rc_options *options;
} rc_race_state;

static rc_race_state race;

static void update_active(void) {
  bool active = false;
  for (uint32_t i = 0; i < race.n_targets; i++)
    active = active || race.targets[i].state != RC_RACE_DONE;
  rc_race_points_active = active;
}

static void race_begin(rc_strategy *self, uint64_t seed,
                       const rc_options *options) {
  (void)self;
  race.options = options;
  rc_rng_seed(&race.choice_rng, seed);
  rc_rng_seed(&race.value_rng, seed ^ 0x9e3779b97f4a7c15ull);
  const rc_schedule_file *replayed = rc_replay_schedule(options);
  if (replayed) {
    race.targets = replayed->race_targets;
    race.n_targets = replayed->n_race_targets;
  } else if (options->race_targets[0]) {
    rc_race_targets_read(options->race_targets, &race.targets, &race.n_targets);
  }
  for (uint32_t i = 0; i < race.n_targets; i++)
    race.targets[i].state = RC_RACE_ARMED;
  update_active();
}

static bool site_is(const rc_site *site, const char *file, uint32_t line,
                    uint32_t column, const char *function) {
  if (!site || site->line != line || site->column != column)
    return false;
  const char *f = site->file ? site->file : "";
  const char *fn = site->function ? site->function : "";
  return strcmp(f, file) == 0 && strcmp(fn, function) == 0;
}

bool rc_race_directed_access(const rc_thread *t, const rc_site *site,
                             uint64_t step) {
  bool pause = false;
  for (uint32_t i = 0; i < race.n_targets; i++) {
    rc_race_target *target = &race.targets[i];
    if (target->state == RC_RACE_PAUSED && target->paused != t->tid &&
        site_is(site, target->until_file, target->until_line,
                target->until_column, target->until_function)) {
      target->state = RC_RACE_DONE;
      rc_verbose("race-directed: T%u passed %s:%u; T%u goes on", t->tid,
                 target->until_file, target->until_line, target->paused);
    } else if (target->state == RC_RACE_ARMED &&
               site_is(site, target->delay_file, target->delay_line,
                       target->delay_column, target->delay_function)) {
      target->state = RC_RACE_PAUSED;
      target->paused = t->tid;
      target->paused_at_step = step;
      pause = true;
      rc_verbose("race-directed: T%u paused before its access at %s:%u", t->tid,
                 target->delay_file, target->delay_line);
    }
  }
  update_active();
  return pause;
}

/* Pauses that lasted race_pause_steps scheduling points end: steps are
 * deterministic, so a replay ends them at the same point. */
static void expire_pauses(uint64_t step) {
  uint64_t limit = race.options->race_pause_steps;
  bool changed = false;
  for (uint32_t i = 0; i < race.n_targets; i++) {
    rc_race_target *target = &race.targets[i];
    if (target->state == RC_RACE_PAUSED && limit &&
        step - target->paused_at_step >= limit) {
      target->state = RC_RACE_DONE;
      changed = true;
      rc_verbose("race-directed: pause of T%u ends after %llu points",
                 target->paused, (unsigned long long)limit);
    }
  }
  if (changed)
    update_active();
}

static bool is_paused(rc_tid tid) {
  for (uint32_t i = 0; i < race.n_targets; i++)
    if (race.targets[i].state == RC_RACE_PAUSED &&
        race.targets[i].paused == tid)
      return true;
  return false;
}

static rc_tid pick_uniform(const rc_tid *tids, uint32_t n) {
  return n == 1 ? tids[0] : tids[rc_rng_below(&race.choice_rng, n)];
}

static rc_tid race_pick(rc_strategy *self, const rc_sched_point *point) {
  (void)self;
  if (!rc_race_points_active)
    return pick_uniform(point->enabled, point->n_enabled);
  expire_pauses(point->step);
  bool any_paused = false;
  for (uint32_t i = 0; i < point->n_enabled && !any_paused; i++)
    any_paused = is_paused(point->enabled[i]);
  if (!any_paused)
    return pick_uniform(point->enabled, point->n_enabled);
  /* A paused thread waits while any other thread can run, also one the
   * fair layer (fairness.c) filtered out of this point because it yielded
   * to the paused one: the pause is bounded, so it cannot starve anyone. */
  if (race.allowed_cap < point->n_threads) {
    uint32_t cap = point->n_threads * 2;
    race.allowed = rc_realloc(race.allowed, race.allowed_cap * sizeof(rc_tid),
                              cap * sizeof(rc_tid));
    race.allowed_cap = cap;
  }
  uint32_t n = 0;
  for (uint32_t i = 0; i < point->n_threads; i++)
    if ((point->threads[i]->status == RC_THREAD_ENABLED ||
         rc_thread_waits_for_time(point->threads[i])) &&
        !is_paused(i))
      race.allowed[n++] = i;
  if (n > 0)
    return pick_uniform(race.allowed, n);
  /* Only paused threads can run: every pause ends. */
  for (uint32_t i = 0; i < race.n_targets; i++)
    if (race.targets[i].state == RC_RACE_PAUSED) {
      race.targets[i].state = RC_RACE_DONE;
      rc_verbose("race-directed: pause of T%u ends (no other thread can run)",
                 race.targets[i].paused);
    }
  update_active();
  return pick_uniform(point->enabled, point->n_enabled);
}

static uint64_t race_random(rc_strategy *self, uint64_t bound) {
  (void)self;
  return rc_rng_below(&race.value_rng, bound);
}

static rc_strategy race_directed_strategy = {
    .name = "race-directed",
    .begin = race_begin,
    .pick = race_pick,
    .random = race_random,
};

rc_strategy *rc_strategy_race_directed(void) { return &race_directed_strategy; }

const rc_race_target *rc_race_directed_targets(uint32_t *n_out) {
  *n_out = race.n_targets;
  return race.targets;
}
