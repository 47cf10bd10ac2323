/* strategy_lockstep.c — the "lockstep" scheduling strategy: while threads
 * attempt or retry, they advance one operation at a time, in step,
 * round-robin in tid order.
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
 * thread's unlock can fall between the other's attempts.
 *
 * A switch at every point costs a thread switch per operation: on programs
 * that synchronise millions of times, tens of times the run of any other
 * seed (3.2 M switches and 7 s for an atomics-heavy histogram that a random
 * walk runs in 0.1 s). So lock-step runs only while threads attempt or
 * retry: in the run's first RC_LOCKSTEP_WINDOW points, and for
 * RC_LOCKSTEP_WINDOW points after any trylock, compare-exchange or failed
 * transition (failed attempt, unchanged atomic re-read, time-out). A retry
 * loop renews the window in every round, and a livelock is reported within
 * livelock_repeats rounds of a cycle of at most RC_CYCLE_RING points, so the
 * window never closes on one. Between windows the seed's random walk
 * (strategy_random.c) schedules, with its cheap kept points; the attempt
 * kinds stay points the scheduler asks about (asks_at), so a window opens
 * right before the first attempt, and lock-step from there puts the other
 * thread's attempt between this one's. Blocking locks need no window:
 * a thread that waits cannot retry.
 *
 * Within a window the strategy is asked at every point, and it changes its
 * own state only there and at the attempts and failures that open one, so a
 * replay, which may ask at more points, keeps it in step.
 *
 * The seeded random stream serves the choices that are not threads
 * (preemption budgets) and the random choices after a wake-up (below). */
#include "sched/fairness.h"
#include "sched/scheduler.h"
#include "sched/strategy.h"
#include "record/schedule.h"

#define RC_LOCKSTEP_WINDOW 10000

typedef struct rc_lockstep_state {
  rc_rng rng;
  rc_strategy *walk;   /* between windows */
  uint64_t window_end; /* points below this step run in lock-step */
  uint64_t last_pick;  /* step of the latest pick */
  /* A thread was woken since the latest failed attempt: choose randomly. */
  bool woken_recently;
} rc_lockstep_state;

static rc_lockstep_state lockstep_state;
static bool lockstep_running; /* this run's strategy (or the replayed one) */

static void lockstep_begin(rc_strategy *self, uint64_t seed,
                           const rc_options *options) {
  rc_lockstep_state *s = self->state;
  *s = (rc_lockstep_state){0};
  rc_rng_seed(&s->rng, seed);
  /* The walk draws from its own stream, not the same numbers. */
  s->walk = rc_strategy_random();
  s->walk->begin(s->walk, seed ^ 0x6c6f636b73746570ull, options);
  s->window_end = RC_LOCKSTEP_WINDOW;
  lockstep_running = true;
}

bool rc_fair_lockstep_releases(void) { return lockstep_running; }

/* Operations that try and may fail without blocking: the steps of a retry
 * loop. */
#define RC_LOCKSTEP_ATTEMPTS                                                   \
  ((1ull << RC_OP_MUTEX_TRYLOCK) | (1ull << RC_OP_RWLOCK_TRYRDLOCK) |          \
   (1ull << RC_OP_RWLOCK_TRYWRLOCK) | (1ull << RC_OP_SEM_TRYWAIT) |            \
   (1ull << RC_OP_ATOMIC_CMPXCHG))

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
  rc_lockstep_state *s = self->state;
  const rc_thread *current = point->threads[point->current];
  s->last_pick = point->step;
  if ((RC_LOCKSTEP_ATTEMPTS >> current->pending.kind) & 1 ||
      rc_fair_last_transition_failed(point->current))
    s->window_end = point->step + RC_LOCKSTEP_WINDOW;
  if (point->step >= s->window_end)
    return s->walk->pick(s->walk, point);
  /* Lock-step keeps threads that retry in phase. When a thread wakes a
   * blocked one, nobody knows how soon the woken thread runs again, so
   * until the next failed attempt (the threads retry again) the choices
   * are random. Without this, std::lock — which, after a failed try,
   * waits for the lock it failed on — would trade places with its rival
   * forever; with it, it finishes, while polite back-off (which never
   * blocks) stays in lock-step. */
  if (rc_fair_take_release(point->current))
    s->woken_recently = true;
  else if (rc_fair_last_transition_failed(point->current))
    s->woken_recently = false;
  if (s->woken_recently && point->n_enabled > 1)
    return point->enabled[rc_rng_below(&s->rng, point->n_enabled)];
  /* A thread asking for a lock that another thread holds goes straight
   * into the wait rather than waiting for its turn to find out. */
  if (rc_point_offers(point, point->current) && waits_for_held_lock(current))
    return point->current;
  /* enabled[] is sorted: the first tid above the current one, else wrap. */
  for (uint32_t i = 0; i < point->n_enabled; i++)
    if (point->enabled[i] > point->current)
      return point->enabled[i];
  return point->enabled[0];
}

/* No promise inside a window: every point is a choice there. */
static uint64_t lockstep_keeps_until(rc_strategy *self) {
  rc_lockstep_state *s = self->state;
  return s->last_pick < s->window_end ? 0 : s->walk->keeps_until(s->walk);
}

static uint64_t lockstep_random(rc_strategy *self, uint64_t bound) {
  return rc_rng_below(&((rc_lockstep_state *)self->state)->rng, bound);
}

static rc_strategy lockstep_strategy = {
    .name = "lockstep",
    .begin = lockstep_begin,
    .pick = lockstep_pick,
    .random = lockstep_random,
    .keeps_until = lockstep_keeps_until,
    .asks_at = RC_LOCKSTEP_ATTEMPTS,
    .state = &lockstep_state,
};

rc_strategy *rc_strategy_lockstep(void) { return &lockstep_strategy; }
