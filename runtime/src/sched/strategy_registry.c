/* strategy_registry.c — the scheduling strategies by the name option
 * `strategy` (and a schedule file's header) gives them. */
#include "sched/bounded_choices.h"
#include "sched/strategy.h"

#include <string.h>

rc_strategy *rc_strategy_by_name(const char *name, const rc_options *options) {
  if (strcmp(name, "random") == 0)
    return rc_strategy_random();
  if (strcmp(name, "pct") == 0)
    return rc_strategy_pct(options);
  if (strcmp(name, "directed") == 0)
    return rc_strategy_directed();
  if (strcmp(name, "lockstep") == 0)
    return rc_strategy_lockstep();
  if (strcmp(name, "guided") == 0)
    return rc_strategy_guided();
  if (strcmp(name, "race-directed") == 0)
    return rc_strategy_race_directed();
  if (rc_bounded_parse(name, "pb-"))
    return rc_strategy_preemption_bounded(rc_bounded_parse(name, "pb-"));
  if (rc_bounded_parse(name, "db-"))
    return rc_strategy_delay_bounded(rc_bounded_parse(name, "db-"));
  return 0;
}
