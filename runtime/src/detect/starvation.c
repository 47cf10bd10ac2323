/* starvation.c — bypass counting and the `starvation` finding.
 *
 * Starvation is the liveness failure where a thread that keeps asking for a
 * resource never gets it because others keep taking it first. Under a fair
 * scheduler (CHESS, Musuvathi & Qadeer PLDI'08: every thread that keeps
 * asking is eventually scheduled) a thread that is still bypassed again and
 * again is starved by the program or by the lock's policy, not by the
 * scheduler — a reader-preferring rwlock under a stream of readers, a
 * test-and-set spin lock re-taken by a greedy thread. We count, per wait,
 * how many acquisitions of the same resource by other threads happened
 * while the thread waited ("bypasses", the measure of bounded waiting in
 * mutual-exclusion theory: a FIFO lock bounds it by the number of other
 * threads). A long wait alone is not starvation: ten threads contending for
 * one mutex under random choices, or a writer on a reader-preferring rwlock
 * that gets in between two readers' sections, are bypassed many times and
 * still get in while the others keep competing — waiting was bounded. A
 * wait is reported when it was bypassed `starvation_bypasses` times or more
 * beyond the first of each further bypassing thread (a FIFO lock's bound:
 * repeat_bypasses) AND it ended only once
 * no bypasser competed any more (none of the threads that bypassed it asked for
 * the resource again after the waiter got it: they had finished with it) or
 * never ended (still waiting when the run ended). That is what unbounded
 * waiting looks like in a finite run: the waiter would have waited as long as
 * the others kept asking.
 *
 * Resources:
 *  - lock identities (mutex, spinlock, rwlock in either mode, semaphore): a
 *    wait is exact — it starts when the thread finds the lock unavailable
 *    and blocks, and ends when it acquires it or times out;
 *  - atomic locations used as spin locks: a wait starts when a thread fails
 *    a compare-exchange, or does a read-modify-write that leaves a non-zero
 *    value unchanged (test-and-set / exchange(1) on a set flag). The failed
 *    attempt also tells what the waiter wants: the CAS comparand, or any
 *    value but the one it found. An acquisition is then an RMW or CAS that
 *    takes the location from a wanted value to an unwanted one (0 -> 1 for
 *    a test-and-set lock, expected -> desired for a CAS lock). A spin wait
 *    has no blocking call to end it: it stays open while the waiter's next
 *    operation is on the same location or a back-off (yield, sleep, spin
 *    hint, forced preemption) and is closed, without a bypass, when an
 *    acquisition finds the waiter doing anything else (it gave up).
 *
 * The hook for atomics runs before the operation executes, so the value an
 * RMW writes is only known later: the last RMW is kept pending and resolved
 * at the next atomic operation (of any thread; execution is serialized and
 * every atomic write goes through that hook first) or at the end of the run.
 *
 * Everything is keyed by dense tids and lock ids and counted in scheduling
 * steps, so a replay reproduces the same counts and report. */
#include "detect/starvation.h"
#include "sched/fairness.h"
#include "sched/scheduler.h"

#include <string.h>

/* one bypassing thread's part in a wait */
typedef struct rc_bypass {
  uint64_t count;
  rc_op_kind op; /* its latest bypassing acquisition */
  const rc_site *site;
  rc_stack_id stack;
} rc_bypass;

typedef struct rc_starve_wait {
  uint64_t start_step;
  uint64_t steps; /* when finished */
  uint64_t bypasses;
  uint64_t bypassers;    /* distinct threads among them */
  uint64_t counted_step; /* of the latest bypass counted, or of the start */
  rc_op_kind op;
  const rc_site *site;
  rc_stack_id stack;
  rc_lockset_id lockset;
  rc_bypass *by; /* by bypassing tid */
  uint32_t by_cap;
} rc_starve_wait;

/* one thread's use of one resource */
typedef struct rc_starve_user {
  bool used; /* acquired or waited for it */
  bool waiting;
  bool has_worst;
  uint64_t acquisitions;
  uint64_t longest_wait;  /* finished waits, in steps */
  rc_starve_wait current; /* valid while waiting */
  /* the most bypassed finished wait none of whose bypassers has asked for
   * the resource since it ended (has_worst) */
  rc_starve_wait worst;
} rc_starve_user;

typedef struct rc_starve_resource {
  struct rc_starve_resource *next; /* creation order: deterministic reports */
  bool spin;
  uintptr_t addr;     /* spin: the atomic location */
  uint32_t lock_id;   /* lock: its identity */
  const char *global; /* spin: the atomic's variable name, or null */
  /* spin: what the latest failed attempt wanted */
  bool want_equal; /* true: value == want_value; false: != */
  uint64_t want_value;
  rc_starve_user *users; /* by tid */
  uint32_t n_users;
} rc_starve_resource;

rc_starve_resource **rc_starvation_by_lock;
uint32_t rc_starvation_by_lock_count;
bool rc_starvation_rmw_pending;
bool rc_starvation_spin_any;

static struct {
  rc_starve_resource *first, *last;
  rc_map spin; /* atomic address -> resource */
  bool finished;
  /* the latest RMW/successful CAS, whose written value is not known yet
   * (active: rc_starvation_rmw_pending) */
  struct {
    rc_tid tid;
    const void *addr;
    unsigned size;
    unsigned kind;
    uint64_t before;
    rc_op_kind op;
    const rc_site *site;
    rc_stack_id stack;
    rc_lockset_id lockset;
    uint64_t step;
  } pending;
} st;

/* ---- bookkeeping ---- */

static rc_starve_resource *resource_new(void) {
  rc_starve_resource *r = rc_alloc(sizeof *r);
  r->lock_id = UINT32_MAX;
  if (st.last)
    st.last->next = r;
  else
    st.first = r;
  st.last = r;
  return r;
}

static rc_starve_user *user_at(rc_starve_resource *r, rc_tid tid) {
  if (tid >= r->n_users) {
    uint32_t n = tid + 1 > r->n_users * 2 ? tid + 1 : r->n_users * 2;
    r->users = rc_realloc(r->users, r->n_users * sizeof *r->users,
                          n * sizeof *r->users);
    r->n_users = n;
  }
  return &r->users[tid];
}

static void wait_note_bypass(rc_starve_wait *w, rc_tid by, rc_op_kind op,
                             const rc_site *site, rc_stack_id stack) {
  if (by >= w->by_cap) {
    uint32_t n = by + 1 > w->by_cap * 2 ? by + 1 : w->by_cap * 2;
    w->by = rc_realloc(w->by, w->by_cap * sizeof *w->by, n * sizeof *w->by);
    w->by_cap = n;
  }
  w->bypasses++;
  w->bypassers += w->by[by].count == 0;
  w->by[by].count++;
  w->by[by].op = op;
  w->by[by].site = site;
  w->by[by].stack = stack;
}

/* What counts against the threshold: the bypasses, less the first of each
 * bypassing thread but one. A FIFO lock lets each other thread in at most
 * once ahead of a waiter, and so does any fair choice among k contenders
 * that each take the resource once: with hundreds of threads taking a lock
 * once each, a waiter is bypassed hundreds of times without anyone taking
 * it twice. One thread re-taking the resource counts in full. */
static uint64_t repeat_bypasses(const rc_starve_wait *w) {
  return w->bypassers ? w->bypasses - (w->bypassers - 1) : 0;
}

/* dst := src, reusing dst's bypass array */
static void wait_copy(rc_starve_wait *dst, const rc_starve_wait *src) {
  rc_bypass *by = dst->by;
  uint32_t cap = dst->by_cap;
  if (cap < src->by_cap) {
    by = rc_realloc(by, cap * sizeof *by, src->by_cap * sizeof *by);
    cap = src->by_cap;
  }
  *dst = *src;
  dst->by = by;
  dst->by_cap = cap;
  memset(by, 0, cap * sizeof *by);
  if (src->by_cap)
    memcpy(by, src->by, src->by_cap * sizeof *by);
}

/* `tid` asks for `r` (waits for it or takes it): a finished wait it
 * bypassed ended while it still competed, so it was bounded. */
static void competes(rc_starve_resource *r, rc_tid tid) {
  for (rc_tid w = 0; w < r->n_users; w++) {
    rc_starve_user *u = &r->users[w];
    if (w != tid && u->has_worst && tid < u->worst.by_cap &&
        u->worst.by[tid].count > 0)
      u->has_worst = false;
  }
}

static void wait_begin(rc_starve_resource *r, rc_tid tid, rc_op_kind op,
                       const rc_site *site, rc_stack_id stack,
                       rc_lockset_id lockset, uint64_t step) {
  rc_starve_user *u = user_at(r, tid);
  u->used = true;
  if (u->waiting)
    return;
  competes(r, tid);
  u->waiting = true;
  rc_starve_wait *w = &u->current;
  w->start_step = step;
  w->steps = 0;
  w->bypasses = 0;
  w->bypassers = 0;
  w->counted_step = step;
  w->op = op;
  w->site = site;
  w->stack = stack;
  w->lockset = lockset;
  if (w->by)
    memset(w->by, 0, w->by_cap * sizeof *w->by);
}

static void wait_end(rc_starve_resource *r, rc_tid tid, uint64_t now) {
  rc_starve_user *u = &r->users[tid];
  if (!u->waiting)
    return;
  u->waiting = false;
  u->current.steps = now - u->current.start_step;
  if (u->current.steps > u->longest_wait)
    u->longest_wait = u->current.steps;
  /* a bypasser waiting for the resource as this wait ends still competes */
  for (rc_tid b = 0; b < u->current.by_cap && b < r->n_users; b++)
    if (u->current.by[b].count > 0 && r->users[b].waiting)
      return;
  if (repeat_bypasses(&u->current) > 0 &&
      (!u->has_worst ||
       repeat_bypasses(&u->current) > repeat_bypasses(&u->worst))) {
    wait_copy(&u->worst, &u->current);
    u->has_worst = true;
  }
}

/* A spin waiter is still waiting when its next operation is on the same
 * location or a back-off; otherwise it went on with something else. */
static bool still_spinning(const rc_starve_resource *r, rc_tid tid) {
  if (tid >= g_rt.n_threads || !g_rt.threads[tid])
    return false;
  const rc_thread *t = g_rt.threads[tid];
  if (t->status == RC_THREAD_FINISHED || t->status == RC_THREAD_OUTSIDE)
    return false;
  switch (t->pending.kind) {
  case RC_OP_ATOMIC_LOAD:
  case RC_OP_ATOMIC_STORE:
  case RC_OP_ATOMIC_RMW:
  case RC_OP_ATOMIC_CMPXCHG: return (uintptr_t)t->pending.object == r->addr;
  case RC_OP_YIELD:
  case RC_OP_SLEEP:
  case RC_OP_SPIN_WAIT:
  case RC_OP_PREEMPT: return true;
  default: return false;
  }
}

/* Whether the resource's policy, not the scheduler, let `tid` in ahead of
 * waiter `w`: the waiter is blocked (the lock keeps it out), or it ran
 * since the bypass counted before (it tried and lost). A waiter a release
 * made runnable that the strategy has not picked since, while the
 * releaser keeps re-taking the lock, is passed over by the schedule: a
 * kept stretch of the random walk can last thousands of points, natively
 * such a waiter runs on another CPU at once, and a fair lock would be
 * reported as starving it. */
static bool bypass_counts(const rc_starve_wait *current, rc_tid w) {
  if (w >= g_rt.n_threads || !g_rt.threads[w] ||
      g_rt.threads[w]->status != RC_THREAD_ENABLED)
    return true;
  return rc_fair_scheduled_step(w) > current->counted_step; /* pick + 1 */
}

/* `tid` acquired `r`: a bypass for every other thread waiting for it. */
static void acquired(rc_starve_resource *r, rc_tid tid, rc_op_kind op,
                     const rc_site *site, rc_stack_id stack, uint64_t now) {
  for (rc_tid w = 0; w < r->n_users; w++) {
    rc_starve_user *u = &r->users[w];
    if (w == tid || !u->waiting)
      continue;
    if (r->spin && !still_spinning(r, w)) {
      wait_end(r, w, now);
      continue;
    }
    if (!bypass_counts(&u->current, w))
      continue;
    u->current.counted_step = now;
    wait_note_bypass(&u->current, tid, op, site, stack);
  }
  competes(r, tid);
  rc_starve_user *self = user_at(r, tid);
  self->used = true;
  self->acquisitions++;
  wait_end(r, tid, now);
}

/* ---- lock identities ---- */

static rc_starve_resource *lock_resource(uint32_t lock_id) {
  if (lock_id >= rc_starvation_by_lock_count) {
    uint32_t n = lock_id + 1 > rc_starvation_by_lock_count * 2
                     ? lock_id + 1
                     : rc_starvation_by_lock_count * 2;
    rc_starvation_by_lock =
        rc_realloc(rc_starvation_by_lock,
                   rc_starvation_by_lock_count * sizeof *rc_starvation_by_lock,
                   n * sizeof *rc_starvation_by_lock);
    rc_starvation_by_lock_count = n;
  }
  rc_starve_resource *r = rc_starvation_by_lock[lock_id];
  if (!r) {
    r = resource_new();
    r->lock_id = lock_id;
    rc_starvation_by_lock[lock_id] = r;
  }
  return r;
}

void rc_starvation_lock_wait(rc_thread *t, uint32_t lock_id, rc_op_kind op,
                             const rc_site *site) {
  if (lock_id == UINT32_MAX)
    return;
  wait_begin(lock_resource(lock_id), t->tid, op, site, t->current_stack,
             t->lockset, g_rt.steps);
}

void rc_starvation_lock_acquired_slow(rc_thread *t, uint32_t lock_id,
                                      rc_op_kind op, const rc_site *site) {
  acquired(rc_starvation_by_lock[lock_id], t->tid, op, site, t->current_stack,
           g_rt.steps);
}

void rc_starvation_lock_gave_up(rc_thread *t, uint32_t lock_id) {
  if (!rc_starvation_tracks(lock_id))
    return;
  rc_starve_resource *r = rc_starvation_by_lock[lock_id];
  if (t->tid < r->n_users)
    wait_end(r, t->tid, g_rt.steps);
}

/* ---- spin locks on atomic locations ---- */

static uint64_t load_value(const void *addr, unsigned size) {
  return rc_load_value(addr, size);
}

static bool wanted(const rc_starve_resource *r, uint64_t value) {
  return r->want_equal ? value == r->want_value : value != r->want_value;
}

static rc_starve_resource *spin_resource(const void *addr, bool create) {
  void **slot = create ? rc_map_insert(&st.spin, (uint64_t)(uintptr_t)addr)
                       : rc_map_find(&st.spin, (uint64_t)(uintptr_t)addr);
  if (!slot)
    return 0;
  if (!*slot) {
    rc_starve_resource *r = resource_new();
    r->spin = true;
    r->addr = (uintptr_t)addr;
    r->global = rc_global_name_copy(addr);
    *slot = r;
    rc_starvation_spin_any = true;
  }
  return *slot;
}

/* `tid` failed to take the spin lock at `addr`; it wants a value equal to
 * (or, for a test-and-set, different from) `value`. */
static void spin_failed(rc_tid tid, const void *addr, bool want_equal,
                        uint64_t value, rc_op_kind op, const rc_site *site,
                        rc_stack_id stack, rc_lockset_id lockset,
                        uint64_t step) {
  rc_starve_resource *r = spin_resource(addr, true);
  r->want_equal = want_equal;
  r->want_value = value;
  wait_begin(r, tid, op, site, stack, lockset, step);
}

static void resolve_pending(void) {
  if (!rc_starvation_rmw_pending)
    return;
  rc_starvation_rmw_pending = false;
  uint64_t before = st.pending.before;
  uint64_t after = load_value(st.pending.addr, st.pending.size);
  if (after == before) {
    /* an exchange/test-and-set that found the location already set */
    if (st.pending.kind == __racecheck_atomic_rmw && before != 0)
      spin_failed(st.pending.tid, st.pending.addr, false, before, st.pending.op,
                  st.pending.site, st.pending.stack, st.pending.lockset,
                  st.pending.step);
    return;
  }
  if (st.spin.count == 0)
    return;
  rc_starve_resource *r = spin_resource(st.pending.addr, false);
  if (r && wanted(r, before) && !wanted(r, after))
    acquired(r, st.pending.tid, st.pending.op, st.pending.site,
             st.pending.stack, st.pending.step);
}

void rc_starvation_settle_slow(void) { resolve_pending(); }

void rc_starvation_atomic_slow(rc_thread *t, const void *addr, unsigned size,
                               unsigned kind, bool cas_success,
                               unsigned long long expected,
                               const rc_site *site) {
  resolve_pending();
  if (size == 0 || size > 8 ||
      (kind != __racecheck_atomic_rmw && kind != __racecheck_atomic_cmpxchg))
    return;
  rc_op_kind op =
      kind == __racecheck_atomic_rmw ? RC_OP_ATOMIC_RMW : RC_OP_ATOMIC_CMPXCHG;
  if (!cas_success) {
    uint64_t want = size < 8 ? expected & ((1ull << (size * 8)) - 1) : expected;
    spin_failed(t->tid, addr, true, want, op, site, t->current_stack,
                t->lockset, g_rt.steps);
    return;
  }
  rc_starvation_rmw_pending = true;
  st.pending.tid = t->tid;
  st.pending.addr = addr;
  st.pending.size = size;
  st.pending.kind = kind;
  st.pending.before = load_value(addr, size);
  st.pending.op = op;
  st.pending.site = site;
  st.pending.stack = t->current_stack;
  st.pending.lockset = t->lockset;
  st.pending.step = g_rt.steps;
}

void rc_starvation_rmw_slow(rc_thread *t, const void *addr, unsigned size,
                            bool changes, const rc_site *site) {
  resolve_pending();
  /* what resolve_pending would do with a changed value: look for a spin
   * lock at `addr`; none is made before then (only spin_failed makes one,
   * and only for a wait on an unchanged value or a failed CAS) */
  if (changes && !spin_resource(addr, false))
    return;
  rc_starvation_atomic_slow(t, addr, size, __racecheck_atomic_rmw, true, 0,
                            site);
}

/* ---- the findings ---- */

static void add_count(rc_finding *f, const char *name, uint64_t value) {
  if (f->n_counts < RC_FINDING_MAX_COUNTS) {
    f->counts[f->n_counts].name = name;
    f->counts[f->n_counts].value = value;
    f->n_counts++;
  }
}

/* The starved resource as a waiter's object (the first waiter's names it
 * in the finding's headline). */
static void resource_object(const rc_starve_resource *r, rc_waiter *w) {
  if (r->spin) {
    w->object = RC_RECORD_WAIT_SPIN;
    w->object_name = r->global;
  } else {
    w->object = RC_RECORD_WAIT_LOCK;
    w->object_id = r->lock_id;
  }
}

static void report(const rc_starve_resource *r, rc_tid starving,
                   const rc_starve_wait *w, uint64_t waited_steps,
                   uint64_t threshold, uint64_t now) {
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_STARVATION;
  uint32_t n_bypassers = 0;
  for (uint32_t i = 0; i < w->by_cap; i++)
    n_bypassers += w->by[i].count > 0;
  f->waiters = rc_alloc((1 + n_bypassers) * sizeof *f->waiters);
  rc_waiter *starved = &f->waiters[f->n_waiters++];
  starved->tid = starving;
  starved->op = w->op;
  starved->site = w->site;
  starved->stack = w->stack;
  starved->lockset = w->lockset;
  resource_object(r, starved);
  for (uint32_t i = 0; i < w->by_cap; i++) {
    if (w->by[i].count == 0)
      continue;
    rc_waiter *b = &f->waiters[f->n_waiters++];
    b->tid = i;
    b->op = w->by[i].op;
    b->site = w->by[i].site;
    b->stack = w->by[i].stack;
    resource_object(r, b);
  }
  f->cause.set = true;
  f->cause.kind = RC_RECORD_CAUSE_STARVATION;
  f->cause.tid = starving;
  f->cause.values[f->cause.n_values++] = w->bypasses;
  f->cause.values[f->cause.n_values++] = waited_steps;
  f->cause.values[f->cause.n_values++] = threshold;
  add_count(f, "bypasses", w->bypasses);
  add_count(f, "waited_steps", waited_steps);
  add_count(f, "threshold", threshold);

  uint32_t n_rows = 0;
  for (rc_tid i = 0; i < r->n_users; i++)
    n_rows += r->users[i].used;
  f->thread_stats = rc_alloc(n_rows * sizeof *f->thread_stats);
  for (rc_tid i = 0; i < r->n_users; i++) {
    const rc_starve_user *u = &r->users[i];
    if (!u->used)
      continue;
    rc_thread_stat *row = &f->thread_stats[f->n_thread_stats++];
    row->tid = i;
    row->acquisitions = u->acquisitions;
    row->bypasses = i < w->by_cap ? w->by[i].count : 0;
    row->longest_wait_steps = u->longest_wait;
    if (u->waiting && now - u->current.start_step > row->longest_wait_steps)
      row->longest_wait_steps = now - u->current.start_step;
  }
  rc_add_finding(f);
}

void rc_starvation_finish(void) {
  if (st.finished)
    return;
  st.finished = true;
  resolve_pending();
  uint64_t threshold = g_rt.options.starvation_bypasses;
  if (threshold == 0 || !g_rt.options.fair || !g_rt.options.strategy ||
      strcmp(g_rt.options.strategy, "pct") == 0 ||
      /* the bounded searches keep a thread running by design, too */
      strncmp(g_rt.options.strategy, "pb-", 3) == 0 ||
      strncmp(g_rt.options.strategy, "db-", 3) == 0)
    return;
  uint64_t now = g_rt.steps;
  for (const rc_starve_resource *r = st.first; r; r = r->next) {
    for (rc_tid i = 0; i < r->n_users; i++) {
      const rc_starve_user *u = &r->users[i];
      /* the most bypassed wait, the one still open included */
      const rc_starve_wait *w = u->has_worst ? &u->worst : 0;
      uint64_t steps = w ? w->steps : 0;
      if (u->waiting &&
          (!w || repeat_bypasses(&u->current) > repeat_bypasses(w))) {
        w = &u->current;
        steps = now - u->current.start_step;
      }
      if (w && repeat_bypasses(w) >= threshold)
        report(r, i, w, steps, threshold, now);
    }
  }
}

void rc_starvation_reset(void) {
  /* the arena memory is not returned: tests are short */
  memset(&st, 0, sizeof st);
  rc_starvation_rmw_pending = false;
  rc_starvation_spin_any = false;
  rc_starvation_by_lock = 0;
  rc_starvation_by_lock_count = 0;
}
