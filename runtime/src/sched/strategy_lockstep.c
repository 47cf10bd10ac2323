/* strategy_lockstep.c — the "lockstep" scheduling strategy: round-robin at
 * every scheduling point. The thread that reached the point is switched out
 * and the next enabled thread in tid order after it runs, so every thread
 * advances one operation at a time, in step with the others.
 *
 * Random schedules rarely keep two threads in step for long; lock-step ones
 * always do, and that is the schedule in which symmetric retry loops (polite
 * back-off: take one lock, try the other, release, retry) livelock: each
 * thread's attempt meets the other's, forever. Under the fair layer
 * (fairness.c) such a cycle is a livelock, not a scheduler artefact: polite
 * back-off livelocks in lock-step but not when one thread runs a few steps
 * ahead. `racecheck run` explores it on every seed with
 * seed % lockstep_every == lockstep_every - 1 (init.c). Releases are
 * scheduling points too under lock-step (interceptors_mutex.c), so a
 * thread's unlock can fall between the other's attempts. The seeded random
 * stream serves the choices that are not threads (preemption budgets) and
 * the random choices after a wake-up (below). */
#include "sched/fairness.h"
#include "sched/scheduler.h"
#include "sched/strategy.h"
#include "record/schedule.h"

static rc_rng lockstep_rng;
static bool lockstep_running; /* this run's strategy (or the replayed one) */
/* A thread was woken since the latest failed attempt: choose randomly. */
static bool woken_recently;

static void lockstep_begin(rc_strategy *self, uint64_t seed,
                           const rc_options *options) {
  (void)options;
  rc_rng_seed((rc_rng *)self->state, seed);
  lockstep_running = true;
}

bool rc_fair_lockstep_releases(void) { return lockstep_running; }

/* A thread about to wait for a lock that another thread holds: it will
 * block, whoever runs first. */
static bool waits_for_held_lock(const rc_thread *t) {
  if (!t->pending.object)
    return false;
  rc_op_kind kind = t->pending.kind;
  if (kind != RC_OP_MUTEX_LOCK && kind != RC_OP_RWLOCK_RDLOCK &&
      kind != RC_OP_RWLOCK_WRLOCK && kind != RC_OP_SEM_WAIT)
    return false;
  rc_sync *s = rc_sync_find(t->pending.object);
  if (!s)
    return false;
  if (kind == RC_OP_SEM_WAIT)
    return rc_sync_count(s) == 0;
  rc_thread *owner = rc_sync_owner(s);
  return (owner && owner != t) ||
         (kind == RC_OP_RWLOCK_WRLOCK && rc_sync_readers(s) > 0);
}

static rc_tid lockstep_pick(rc_strategy *self, const rc_sched_point *point) {
  const rc_thread *current = point->threads[point->current];
  bool current_enabled = false;
  for (uint32_t i = 0; i < point->n_enabled; i++)
    current_enabled |= point->enabled[i] == point->current;
  /* Lock-step keeps threads that retry in phase. When a thread wakes a
   * blocked one, nobody knows how soon the woken thread runs again, so
   * until the next failed attempt (the threads retry again) the choices
   * are random. Without this, std::lock — which, after a failed try,
   * waits for the lock it failed on — would trade places with its rival
   * forever; with it, it finishes, while polite back-off (which never
   * blocks) stays in lock-step. */
  if (rc_fair_take_release(point->current))
    woken_recently = true;
  else if (rc_fair_last_transition_failed(point->current))
    woken_recently = false;
  if (woken_recently && point->n_enabled > 1)
    return point
        ->enabled[rc_rng_below((rc_rng *)self->state, point->n_enabled)];
  /* A thread asking for a lock that another thread holds goes straight
   * into the wait rather than waiting for its turn to find out. */
  if (current_enabled && waits_for_held_lock(current))
    return point->current;
  /* enabled[] is sorted: the first tid above the current one, else wrap. */
  for (uint32_t i = 0; i < point->n_enabled; i++)
    if (point->enabled[i] > point->current)
      return point->enabled[i];
  return point->enabled[0];
}

static uint64_t lockstep_random(rc_strategy *self, uint64_t bound) {
  return rc_rng_below((rc_rng *)self->state, bound);
}

static rc_strategy lockstep_strategy = {
    .name = "lockstep",
    .begin = lockstep_begin,
    .pick = lockstep_pick,
    .random = lockstep_random,
    .state = &lockstep_rng,
};

rc_strategy *rc_strategy_lockstep(void) { return &lockstep_strategy; }
