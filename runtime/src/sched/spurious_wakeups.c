/* spurious_wakeups.c — spurious wake-ups, where the strategy chooses.
 * POSIX lets pthread_cond_wait return without a signal, and futex waits
 * return early too; code that waits with `if` instead of `while` around
 * the predicate breaks then. With the option spurious_wakeups on, every
 * condition-variable or futex wait (sync/cond.c, sync/futex.c) returns
 * spuriously with probability 1/2, drawn from
 * the strategy's random stream: the seed decides, the schedule header
 * records the option and a replay, which draws from the same stream, makes
 * the same choices (the wake-up is a decision with the operation
 * `spurious_wakeup`, so a divergence is named). */
#include "sched/scheduler.h"
#include "sched/strategy.h"

bool rc_spurious_wakeup(void) {
  if (!g_rt.options.spurious_wakeups || !g_rt.strategy)
    return false;
  bool spurious = g_rt.strategy->random(g_rt.strategy, 2) == 0;
  if (spurious)
    rc_verbose("spurious wake-up of T%u", rc_self ? rc_self->tid : 0);
  return spurious;
}
