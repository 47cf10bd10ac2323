/* race_points.c — where plain accesses become scheduling points: a shared
 * location's access when the option access_points is on (access.c), the
 * access at a race-directed target's site (shadow.c and access.c call
 * rc_race_access_point while a target is armed); and the
 * schedule header lines that let a replay re-arm the same targets. The
 * strategy (strategy_race_directed.c) decides; this file moves the token
 * and reads the runtime object for it. */
#include "sched/scheduler.h"
#include "sched/strategy.h"
#include "detect/livelock.h"
#include "record/schedule.h"
#include "record/raw_writer.h"
#include "racecheck/schedule_format.h"

#include <string.h>

void rc_race_access_point(rc_thread *t, const void *addr, const rc_site *site) {
  /* Only the instrumented access itself (access.c sets last_site to it),
   * not the runtime's own writes such as a free's, which must not stop. */
  if (t != g_rt.current || site != t->last_site)
    return;
  if (rc_race_directed_access(t, site, g_rt.steps))
    rc_schedule(RC_OP_MEMORY_ACCESS, addr, site);
}

bool rc_access_points_active;

void rc_shared_access_point(rc_thread *t, const void *addr, const rc_site *site,
                            bool write) {
  if (t != g_rt.current || site != t->last_site)
    return;
  /* A thread that writes shared memory changes the state others see, as
   * one running into a forced preemption does work: progress, not a step of
   * a livelock's cycle (a trylock loop whose winner updates the data would
   * otherwise look like polite back-off). */
  if (write)
    rc_livelock_progress();
  rc_schedule(RC_OP_MEMORY_ACCESS, addr, site);
}

/* A function name token, "-" when unknown. */
static void out_function(rc_out *o, const char *s) {
  if (*s)
    rc_out_token(o, s);
  else
    rc_out_str(o, "-");
}

static void out_site(rc_out *o, const char *file, uint32_t line,
                     uint32_t column) {
  if (!*file) {
    rc_out_str(o, "-");
    return;
  }
  rc_out_token(o, file);
  rc_out_str(o, ":");
  rc_out_u64(o, line);
  rc_out_str(o, ":");
  rc_out_u64(o, column);
}

void rc_race_targets_write(rc_out *o) {
  if (g_rt.strategy == 0 || strcmp(g_rt.options.strategy, "race-directed") != 0)
    return;
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_PHASE " ");
  rc_out_u64(o, RC_RACE_DIRECTED_PHASE);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_RACE_PAUSE_STEPS " ");
  rc_out_u64(o, g_rt.options.race_pause_steps);
  uint32_t n_targets;
  const rc_race_target *targets = rc_race_directed_targets(&n_targets);
  for (uint32_t i = 0; i < n_targets; i++) {
    const rc_race_target *t = &targets[i];
    rc_out_str(o, "\n" RC_SCHEDULE_KEY_RACE_TARGET " ");
    out_site(o, t->delay_file, t->delay_line, t->delay_column);
    rc_out_str(o, " ");
    out_function(o, t->delay_function);
    rc_out_str(o, " ");
    out_site(o, t->until_file, t->until_line, t->until_column);
    rc_out_str(o, " ");
    out_function(o, t->until_function);
  }
}
