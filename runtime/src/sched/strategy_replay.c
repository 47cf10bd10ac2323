/* strategy_replay.c — the "replay" strategy: re-runs one recorded schedule
 * (RACECHECK_OPTIONS=replay=FILE) exactly.
 *
 * It wraps the strategy the schedule was recorded with, seeded the same way,
 * and consults it at every point: so every choice that is not a thread choice
 * (the randomised preemption budgets of scheduler.c, PCT's priorities) comes
 * from the same random stream as in the recorded run. The thread choice at
 * each point with more than one enabled thread comes from the file, and the
 * point must match it exactly: same step number, the recorded thread
 * enabled, about to perform the recorded operation at the recorded site.
 * A point the file does not list (version 2 lists only where the thread
 * that reached the point did not go on) lets that thread go on, which it
 * must be able to.
 * Anything else means the program did not repeat itself (different input,
 * environment, real I/O timing) and the replay stops, saying where, rather
 * than reporting an interleaving nobody asked for. */
#include "sched/scheduler.h"
#include "sched/strategy.h"
#include "record/schedule.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

static rc_schedule_file schedule;
static uint64_t next_decision;
static rc_strategy *recorded;

/* Like rc_fatal (exit status 2), with room for the long positions and the
 * list of enabled threads a divergence message carries. */
__attribute__((noreturn, format(printf, 1, 2))) static void
replay_fatal(const char *fmt, ...) {
  static char message[4096];
  va_list ap;
  va_start(ap, fmt);
  rc_vfatal(message, sizeof message, fmt, ap);
}

static const char *site_text(const char *file, uint32_t line, char *buf,
                             size_t size) {
  if (!file || !*file)
    snprintf(buf, size, "an unknown position");
  else
    snprintf(buf, size, "%s:%u", file, line);
  return buf;
}

/* "T0 does mutex_lock at a.c:3, T2 does thread_start at b.c:9" */
static void describe_enabled(const rc_sched_point *point, char *buf,
                             size_t size) {
  size_t len = 0;
  buf[0] = 0;
  for (uint32_t i = 0; i < point->n_enabled && len < size; i++) {
    const rc_thread *t = point->threads[point->enabled[i]];
    char op[48], where[320];
    const rc_site *s = t->pending.site;
    len += (size_t)snprintf(
        buf + len, size - len, "%sT%u does %s at %s", i ? ", " : "", t->tid,
        rc_op_token(t->pending.kind, op, sizeof op),
        site_text(s ? s->file : 0, s ? s->line : 0, where, sizeof where));
  }
}

/* `step`: the first step at which the run and the file disagree. */
__attribute__((noreturn)) static void
diverged(uint64_t step, const rc_schedule_decision *d, const char *but) {
  char where[320];
  replay_fatal(
      "replay diverged at step %llu: the schedule %s (line %u) says T%u "
      "does %s at %s, but %s",
      (unsigned long long)step, schedule.path, d->file_line, d->chosen, d->op,
      site_text(d->file, d->line, where, sizeof where), but);
}

/* A point with a choice the schedule does not list: the recorded run let
 * the thread that reached it go on, so it must be able to. */
static rc_tid went_on(const rc_sched_point *point) {
  for (uint32_t i = 0; i < point->n_enabled; i++)
    if (point->enabled[i] == point->current)
      return point->current;
  static char enabled[1536];
  describe_enabled(point, enabled, sizeof enabled);
  const rc_thread *t =
      point->current < point->n_threads ? point->threads[point->current] : 0;
  char op[48], where[320];
  const rc_site *s = t ? t->pending.site : 0;
  replay_fatal("replay diverged at step %llu: the schedule %s lets T%u go "
               "on there (%s at %s), but T%u cannot run (enabled: %s)",
               (unsigned long long)point->step, schedule.path, point->current,
               t ? rc_op_token(t->pending.kind, op, sizeof op) : "?",
               site_text(s ? s->file : 0, s ? s->line : 0, where, sizeof where),
               point->current, enabled);
}

static rc_strategy replay_strategy; /* defined below */

static void replay_begin(rc_strategy *self, uint64_t seed,
                         const rc_options *options) {
  (void)self;
  recorded->begin(recorded, seed, options);
  replay_strategy.name = recorded->name; /* begin may set it (guided) */
  next_decision = 0;
}

static rc_tid replay_pick(rc_strategy *self, const rc_sched_point *point) {
  (void)self;
  /* Keeps the recorded strategy's state (and random stream) in step. */
  rc_tid proposed = recorded->pick(recorded, point);
  if (point->n_enabled == 1)
    return proposed;
  static char but[2048], enabled[1536];
  /* Version 2 lists only the points where the thread that reached them did
   * not go on: anywhere else with a choice, it goes on. */
  if (schedule.format_version >= 2 &&
      (next_decision == schedule.n_decisions ||
       schedule.decisions[next_decision].step > point->step))
    return went_on(point);
  if (next_decision == schedule.n_decisions) {
    describe_enabled(point, enabled, sizeof enabled);
    replay_fatal(
        "replay diverged at step %llu: the schedule %s has no decision "
        "left (it recorded %llu), but the run reached another choice: "
        "%s",
        (unsigned long long)point->step, schedule.path,
        (unsigned long long)schedule.n_decisions, enabled);
  }
  const rc_schedule_decision *d = &schedule.decisions[next_decision];
  if (d->step != point->step) {
    describe_enabled(point, enabled, sizeof enabled);
    snprintf(
        but, sizeof but,
        d->step > point->step
            ? "the run offers a choice already at step %llu: %s"
            : "the run had no choice at step %llu; its next choice: %s",
        (unsigned long long)(d->step > point->step ? point->step : d->step),
        enabled);
    diverged(d->step < point->step ? d->step : point->step, d, but);
  }
  const rc_thread *chosen = 0;
  for (uint32_t i = 0; i < point->n_enabled; i++)
    if (point->enabled[i] == d->chosen)
      chosen = point->threads[d->chosen];
  if (!chosen) {
    describe_enabled(point, enabled, sizeof enabled);
    snprintf(but, sizeof but, "T%u cannot run there (enabled: %s)", d->chosen,
             enabled);
    diverged(point->step, d, but);
  }
  char op[48];
  rc_op_token(chosen->pending.kind, op, sizeof op);
  const rc_site *s = chosen->pending.site;
  const char *file = s && s->file ? s->file : "";
  uint32_t line = s && *file ? s->line : 0;
  if (strcmp(op, d->op) != 0 || strcmp(file, d->file) != 0 || line != d->line) {
    char where[320];
    snprintf(but, sizeof but, "T%u does %s at %s", chosen->tid, op,
             site_text(file, line, where, sizeof where));
    diverged(point->step, d, but);
  }
  if (proposed != d->chosen)
    rc_verbose("replay: step %llu follows the file (T%u), not the strategy "
               "(T%u)",
               (unsigned long long)point->step, d->chosen, proposed);
  next_decision++;
  return d->chosen;
}

static uint64_t replay_random(rc_strategy *self, uint64_t bound) {
  (void)self;
  return recorded->random(recorded, bound);
}

/* Until the recorded strategy's own promise ends or the next recorded
 * switch, whichever comes first: before it, a point where the thread may go
 * on is one the file does not list, where replay_pick lets it go on. */
static uint64_t replay_keeps_until(rc_strategy *self) {
  (void)self;
  if (!recorded->keeps_until || schedule.format_version < 2)
    return 0;
  uint64_t until = recorded->keeps_until(recorded);
  if (next_decision < schedule.n_decisions &&
      schedule.decisions[next_decision].step < until)
    until = schedule.decisions[next_decision].step;
  return until;
}

static rc_strategy replay_strategy = {
    .begin = replay_begin,
    .pick = replay_pick,
    .random = replay_random,
    .keeps_until = replay_keeps_until,
};

const rc_schedule_file *rc_replay_schedule(const rc_options *options) {
  return options->replay[0] ? &schedule : 0;
}

rc_strategy *rc_strategy_replay_setup(rc_options *options) {
  rc_schedule_reader_read(options->replay, &schedule);
  const char *mine = rc_binary_identity();
  if (strcmp(schedule.binary, mine) != 0)
    replay_fatal("the schedule %s was recorded for another binary: it names %s "
                 "(program \"%s\"), but this executable is %s",
                 schedule.path, schedule.binary, schedule.program, mine);
  /* The recorded run's settings, whatever RACECHECK_OPTIONS says. */
  options->strategy = schedule.strategy;
  options->seed = schedule.seed;
  options->preempt_budget = schedule.preempt_budget;
  options->pct_depth = schedule.pct_depth;
  options->pct_steps = schedule.pct_steps;
  options->spurious_wakeups = schedule.spurious_wakeups;
  /* Absent in files of the uniform random walk: 0 replays it. */
  options->random_decay_steps = schedule.random_decay_steps;
  options->step_ns = schedule.step_ns; /* absent: time moved by reads alone */
  options->early_wake_steps =
      schedule.has_early_wake_steps ? schedule.early_wake_steps : UINT64_MAX;
  options->access_points = schedule.access_points;
  if (schedule.guided_base)
    options->guided_base = schedule.guided_base;
  if (schedule.has_max_steps) /* a hang replays as the same hang */
    options->max_steps = schedule.max_steps;
  /* The fair filter shapes the choices, and the threshold where a livelock
   * is reported: both as recorded. */
  options->fair = schedule.fair;
  options->livelock_repeats = schedule.livelock_repeats;
  if (schedule.race_pause_steps) /* phase 2: the pauses end where they did */
    options->race_pause_steps = schedule.race_pause_steps;
  recorded = rc_strategy_by_name(schedule.strategy, options);
  if (!recorded)
    replay_fatal("the schedule %s uses the strategy \"%s\", which this runtime "
                 "does not know",
                 schedule.path, schedule.strategy);
  /* Reports name the recorded strategy: a replay prints the same report. */
  replay_strategy.name = recorded->name;
  /* Asked where the recorded run was, so the recorded strategy sees the
   * same points. */
  replay_strategy.asks_at = recorded->asks_at;
  return &replay_strategy;
}

rc_strategy *rc_strategy_replay_recorded(void) { return recorded; }

void rc_strategy_replay_check_complete(uint64_t steps) {
  if (next_decision == schedule.n_decisions)
    return;
  const rc_schedule_decision *d = &schedule.decisions[next_decision];
  char where[320];
  replay_fatal(
      "replay diverged: the run ended at step %llu, but the schedule %s "
      "still has %llu decision(s), the next at step %llu (line %u): T%u "
      "does %s at %s",
      (unsigned long long)steps, schedule.path,
      (unsigned long long)(schedule.n_decisions - next_decision),
      (unsigned long long)d->step, d->file_line, d->chosen, d->op,
      site_text(d->file, d->line, where, sizeof where));
}
