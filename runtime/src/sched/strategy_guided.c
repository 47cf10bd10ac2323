/* strategy_guided.c — the "guided" strategy: makes exactly the thread
 * switches a guide file lists (option guide=PATH) and otherwise never
 * preempts. It is what schedule shrinking runs (explore/schedule_shrinker.cpp):
 * the CLI drops preemptions from a finding's schedule and asks the guided
 * strategy whether the finding still happens with the rest.
 *
 * Each guide entry names a point robustly (schedule_switches.c: thread,
 * operation, site text, occurrence) and the thread to switch to; it fires
 * when that point is reached (to the least recently run other thread when
 * the named one cannot run there). At any other point:
 *  - the running thread goes on while it is offered (no preemption): not
 *    when the fair layer withholds it, e.g. after its compare-exchange
 *    failed, which the schedule's replay would not let it do either;
 *  - when it blocks, ends, yields, spin-waits or sleeps, the enabled thread
 *    that has waited longest since it last ran (least recently run; ties,
 *    such as threads that never ran, to the lowest tid) — a fixed,
 *    seed-independent choice, so the only thing a candidate changes is the
 *    preemptions it keeps. Least recently run resumes a thread preempted
 *    earlier before the one that preempted it, as the original interleaving
 *    typically did, which lets fewer preemptions reproduce it;
 *  - a thread that keeps running for RC_GUIDED_FAIRNESS_LIMIT points in a
 *    row while others could run is switched away from, so a
 *    loop that polls an atomic flag cannot starve the thread that sets it
 *    (that switch is a preemption and is counted as one).
 *
 * Thread choices are deterministic; the other choices (the randomised
 * forced-preemption budgets) come from a stream seeded from the seed alone,
 * so a replay — which re-creates this strategy without its guide and takes
 * the thread choices from the schedule file — draws the same budgets. */
#include "sched/scheduler.h"
#include "sched/strategy.h"
#include "record/schedule.h"

#include <stdio.h>
#include <string.h>

#define RC_GUIDED_FAIRNESS_LIMIT 200

typedef struct rc_guided_state {
  rc_rng value_rng;
  rc_guide_entry *entries;
  uint32_t n_entries;
  rc_map by_point; /* point key (with occurrence) -> entry */
  rc_tid last_chosen;
  uint64_t run_length; /* points in a row the last chosen thread kept going */
  uint64_t *last_run;  /* by tid: decision count when it was last picked */
  uint32_t last_run_cap;
  uint64_t picks;
} rc_guided_state;

static rc_guided_state guided;

static void guided_begin(rc_strategy *self, uint64_t seed,
                         const rc_options *options) {
  /* Reports name the strategy of the run that was shrunk. */
  static char name[80];
  const char *base = options->guided_base;
  if (base && *base) {
    snprintf(name, sizeof name, "%s, shrunk", base);
    self->name = name;
  }
  rc_rng_seed(&guided.value_rng, seed ^ 0x6a09e667f3bcc909ull);
  const char *path = options->guide;
  if (!path || !*path || options->replay[0])
    return; /* no guide: never preempt (a replay follows its file) */
  rc_guide_read(path, &guided.entries, &guided.n_entries);
  for (uint32_t i = 0; i < guided.n_entries; i++) {
    rc_guide_entry *e = &guided.entries[i];
    uint64_t key = rc_point_key(e->from, e->op,
                                rc_site_text_hash(e->file, e->line, e->column),
                                e->occurrence);
    *rc_map_insert(&guided.by_point, key) = e;
  }
}

static bool site_equals(const rc_site *site, const rc_guide_entry *e) {
  if (!site || !site->file || !site->file[0])
    return !e->file[0];
  return site->line == e->line && site->column == e->column &&
         strcmp(site->file, e->file) == 0;
}

/* The guide entry for the point `t` reached, if any. */
static const rc_guide_entry *entry_for(const rc_thread *t) {
  if (!guided.n_entries)
    return 0;
  rc_op_kind op = rc_point_op(t->pending.kind);
  uint64_t occurrence = rc_switches_point_occurrence();
  uint64_t key = rc_point_key(t->tid, op, rc_site_pointer_hash(t->pending.site),
                              occurrence);
  void **slot = rc_map_find(&guided.by_point, key);
  if (!slot)
    return 0;
  const rc_guide_entry *e = *slot;
  /* Verify: a hash collision must not fire another point's switch. */
  if (e->from != t->tid || e->op != op || e->occurrence != occurrence ||
      !site_equals(t->pending.site, e))
    return 0;
  return e;
}

static uint64_t last_run_of(rc_tid tid) {
  return tid < guided.last_run_cap ? guided.last_run[tid] : 0;
}

/* The enabled thread other than `tid` that ran least recently (lowest tid
 * on ties); `tid` itself only when nobody else is enabled. */
static rc_tid least_recently_run(const rc_sched_point *point, rc_tid tid) {
  rc_tid best = tid;
  for (uint32_t i = 0; i < point->n_enabled; i++) {
    rc_tid other = point->enabled[i];
    if (other != tid && (best == tid || last_run_of(other) < last_run_of(best)))
      best = other;
  }
  return best;
}

static rc_tid choose(const rc_sched_point *point) {
  if (point->n_enabled == 1)
    return point->enabled[0];
  const rc_thread *t = point->threads[point->current];
  const rc_guide_entry *e = entry_for(t);
  /* The switch fires; when its thread cannot run here, the switch itself
   * (letting others run at this point) is what counts: to the least
   * recently run. */
  if (e)
    rc_verbose("guided: T%u's %s #%llu: switch to T%u%s", t->tid,
               rc_op_name(e->op), (unsigned long long)e->occurrence, e->to,
               rc_point_offers(point, e->to)
                   ? ""
                   : " (cannot run: least recently run)");
  if (e && e->to != t->tid)
    return rc_point_offers(point, e->to) ? e->to
                                         : least_recently_run(point, t->tid);
  bool may_go_on = rc_point_current_may_go_on(point);
  if (may_go_on && !(guided.last_chosen == t->tid &&
                     guided.run_length >= RC_GUIDED_FAIRNESS_LIMIT))
    return t->tid;
  return least_recently_run(point, t->tid);
}

static rc_tid guided_pick(rc_strategy *self, const rc_sched_point *point) {
  (void)self;
  rc_tid chosen = choose(point);
  if (point->n_enabled > 1 && chosen == guided.last_chosen)
    guided.run_length++;
  else if (chosen != guided.last_chosen)
    guided.run_length = 0;
  guided.last_chosen = chosen;
  if (chosen >= guided.last_run_cap) {
    uint32_t cap = chosen * 2 + 16;
    guided.last_run =
        rc_realloc(guided.last_run, guided.last_run_cap * sizeof(uint64_t),
                   cap * sizeof(uint64_t));
    guided.last_run_cap = cap;
  }
  guided.last_run[chosen] = ++guided.picks;
  return chosen;
}

static uint64_t guided_random(rc_strategy *self, uint64_t bound) {
  (void)self;
  return rc_rng_below(&guided.value_rng, bound);
}

static rc_strategy guided_strategy = {
    .name = "guided",
    .begin = guided_begin,
    .pick = guided_pick,
    .random = guided_random,
};

rc_strategy *rc_strategy_guided(void) { return &guided_strategy; }
