/* strategy_directed.c — the "directed" strategy: confirms a potential
 * deadlock (a lock-order cycle the analyzer found) by steering the schedule
 * into it, after DeadlockFuzzer (Joshi, Park, Sen & Naik, "A Randomized
 * Dynamic Program Analysis Technique for Detecting Real Deadlocks",
 * PLDI'09).
 *
 * Options: strategy=directed, directed_targets=PATH (a targets file, see
 * directed_targets.h), seed. Each target is one step of the cycle: thread T
 * asks for L2 at a site while holding L1. When a thread arrives at a
 * scheduling point right before such a request, it is paused: not picked
 * while another thread can run. When every target's thread is paused at
 * once, all are released (whichever runs first blocks on a lock another
 * paused thread holds: the deadlock follows) and the strategy stops
 * steering. A pause also ends as soon as no other thread can run, so a
 * deadlock caused by the pause itself is never reported: every reported
 * deadlock is one the program can reach on its own.
 *
 * Otherwise it is the random strategy: a uniform choice among the threads
 * it may pick. Thread choices and other choices (preemption budgets) come
 * from two streams seeded from the seed, so the non-thread choices do not
 * depend on the targets: `racecheck replay` of a directed run's schedule
 * re-creates the strategy without targets and still draws the same
 * budgets, while the file supplies the thread choices. */
#include "sched/directed_targets.h"
#include "sched/scheduler.h"
#include "sched/strategy.h"
#include "record/schedule.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

typedef struct rc_directed_state {
  rc_rng choice_rng; /* thread choices */
  rc_rng value_rng;  /* everything else (strategy->random) */
  rc_directed_target *targets;
  uint32_t n_targets;
  bool released; /* every target was reached together: stop steering */
  rc_tid *allowed;
  uint32_t allowed_cap;
} rc_directed_state;

static rc_directed_state directed;

/* The whole targets file, read with raw syscalls (the strategy starts
 * before the program's constructors), into the runtime arena. */
static char *read_targets_file(const char *path) {
  long fd = rc_raw_syscall(SYS_openat, AT_FDCWD, (long)path,
                           O_RDONLY | O_CLOEXEC, 0, 0, 0);
  if (fd < 0)
    rc_fatal("cannot open the directed targets file %s (error %ld)", path, -fd);
  size_t cap = 4096, len = 0;
  char *text = rc_alloc(cap);
  for (;;) {
    if (len + 1 == cap) {
      text = rc_realloc(text, cap, cap * 2);
      cap *= 2;
    }
    long n = rc_raw_syscall(SYS_read, fd, (long)(text + len),
                            (long)(cap - 1 - len), 0, 0, 0);
    if (n < 0)
      rc_fatal("cannot read the directed targets file %s (error %ld)", path,
               -n);
    if (n == 0)
      break;
    len += (size_t)n;
  }
  rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
  text[len] = 0;
  return text;
}

static void directed_begin(rc_strategy *self, uint64_t seed,
                           const rc_options *options) {
  (void)self;
  rc_rng_seed(&directed.choice_rng, seed);
  /* A second, independent stream: SplitMix64 of a different start. */
  rc_rng_seed(&directed.value_rng, seed ^ 0x9e3779b97f4a7c15ull);
  const char *path = options->directed_targets;
  if (!path || !*path || options->replay[0])
    return; /* no steering (a replay takes thread choices from its file) */
  char error[256];
  if (!rc_directed_targets_parse(read_targets_file(path), &directed.targets,
                                 &directed.n_targets, error, sizeof error))
    rc_fatal("directed targets file %s, %s", path, error);
}

static bool is_blocking_lock_request(rc_op_kind kind) {
  return kind == RC_OP_MUTEX_LOCK || kind == RC_OP_RWLOCK_RDLOCK ||
         kind == RC_OP_RWLOCK_WRLOCK;
}

/* The thread that reached this point declared a new request (it is
 * enabled: a blocked one re-trying a lock is not a new arrival): count it
 * for every target it matches and mark the one due as waiting. */
static void note_arrival(const rc_thread *t) {
  if (t->status != RC_THREAD_ENABLED ||
      !is_blocking_lock_request(t->pending.kind))
    return;
  rc_sync *s = rc_sync_find(t->pending.object);
  if (!s || s->lock_id == UINT32_MAX)
    return;
  for (uint32_t i = 0; i < directed.n_targets; i++) {
    rc_directed_target *target = &directed.targets[i];
    if (!rc_directed_request_matches(target, t, s->lock_id, t->pending.site))
      continue;
    target->arrivals++;
    if (target->occurrence == 0 || target->arrivals == target->occurrence) {
      target->waiting = true;
      rc_verbose("directed: T%u paused before its request at %s:%u", t->tid,
                 target->file, target->line);
    }
  }
}

static bool is_paused(rc_tid tid) {
  for (uint32_t i = 0; i < directed.n_targets; i++)
    if (directed.targets[i].waiting && directed.targets[i].tid == tid)
      return true;
  return false;
}

static rc_tid pick_uniform(const rc_tid *tids, uint32_t n) {
  return n == 1 ? tids[0] : tids[rc_rng_below(&directed.choice_rng, n)];
}

static rc_tid directed_pick(rc_strategy *self, const rc_sched_point *point) {
  (void)self;
  if (directed.released || directed.n_targets == 0)
    return pick_uniform(point->enabled, point->n_enabled);
  note_arrival(point->threads[point->current]);
  bool all_waiting = true;
  for (uint32_t i = 0; i < directed.n_targets; i++)
    all_waiting = all_waiting && directed.targets[i].waiting;
  if (all_waiting) {
    directed.released = true;
    rc_verbose("directed: every thread of the cycle holds its lock; "
               "releasing them");
    return pick_uniform(point->enabled, point->n_enabled);
  }
  if (directed.allowed_cap < point->n_enabled) {
    uint32_t cap = point->n_enabled * 2;
    directed.allowed =
        rc_realloc(directed.allowed, directed.allowed_cap * sizeof(rc_tid),
                   cap * sizeof(rc_tid));
    directed.allowed_cap = cap;
  }
  uint32_t n = 0;
  for (uint32_t i = 0; i < point->n_enabled; i++)
    if (!is_paused(point->enabled[i]))
      directed.allowed[n++] = point->enabled[i];
  rc_tid chosen;
  if (n > 0) {
    chosen = pick_uniform(directed.allowed, n);
  } else {
    /* Only paused threads can run: the pause ends, never a deadlock of
     * our own making. */
    chosen = pick_uniform(point->enabled, point->n_enabled);
    rc_verbose("directed: pause of T%u ends (no other thread can run)", chosen);
  }
  /* The chosen thread now performs its request: no longer waiting. */
  for (uint32_t i = 0; i < directed.n_targets; i++)
    if (directed.targets[i].tid == chosen)
      directed.targets[i].waiting = false;
  return chosen;
}

static uint64_t directed_random(rc_strategy *self, uint64_t bound) {
  (void)self;
  return rc_rng_below(&directed.value_rng, bound);
}

static rc_strategy directed_strategy = {
    .name = "directed",
    .begin = directed_begin,
    .pick = directed_pick,
    .random = directed_random,
};

rc_strategy *rc_strategy_directed(void) { return &directed_strategy; }
