/* hang.c — what a run that cannot end was doing: the deadlock report (every
 * blocked thread, what it waits for, who holds that, what it holds), the
 * step-budget hang (the busiest recent site and every live thread) and the
 * watchdog's hangs (the thread that stopped reaching scheduling points;
 * every thread blocked in the kernel, with its system call).
 * Each finding goes to the finding sink, which ends the run (hang.h). */
#include "detect/hang.h"
#include "core/finding_sink.h"
#include "sched/scheduler.h"
#include "sched/task_state.h"

#include <stdlib.h>
#include <string.h>

/* ---- deadlocks ---- */

/* What `t` waits for (an object of the record's wait-object table), and who
 * holds it when it is a lock. */
static void describe_wait(rc_thread *t, rc_waiter *w) {
  w->has_holder = false;
  if (t->pending.kind == RC_OP_THREAD_JOIN && t->wait_object) {
    w->object = RC_RECORD_WAIT_THREAD;
    w->object_id = ((rc_thread *)t->wait_object)->tid;
    return;
  }
  rc_sync *s = t->wait_object ? rc_sync_find(t->wait_object) : 0;
  if (!s) {
    w->object = RC_RECORD_WAIT_OPERATION;
    w->object_name = rc_global_name_copy(t->wait_object);
    return;
  }
  rc_waiter_object_of_sync(w, s);
  rc_thread *owner = rc_sync_owner(s);
  if (owner) {
    w->has_holder = true;
    w->holder = owner->tid;
  }
}

void rc_waiter_object_of_sync(rc_waiter *w, const rc_sync *s) {
  if (s->lock_id != UINT32_MAX) {
    w->object = RC_RECORD_WAIT_LOCK;
    w->object_id = s->lock_id;
    return;
  }
  w->object =
      s->kind == RC_SYNC_FUTEX ? RC_RECORD_WAIT_FUTEX : RC_RECORD_WAIT_OBJECT;
  w->object_name = rc_global_name_copy((const void *)s->addr);
}

void rc_report_deadlock(enum rc_record_deadlock_headline headline) {
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_DEADLOCK;
  f->cause.set = true;
  f->cause.kind = RC_RECORD_CAUSE_DEADLOCK;
  f->cause.headline = headline;
  uint32_t blocked = 0;
  for (uint32_t i = 0; i < g_rt.n_threads; i++)
    if (g_rt.threads[i]->status == RC_THREAD_BLOCKED)
      blocked++;
  f->waiters = rc_alloc((blocked ? blocked : 1) * sizeof *f->waiters);
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    rc_thread *t = g_rt.threads[i];
    if (t->status != RC_THREAD_BLOCKED)
      continue;
    rc_waiter *w = &f->waiters[f->n_waiters++];
    w->tid = t->tid;
    w->op = t->pending.kind;
    w->site = t->wait_site;
    w->stack = t->current_stack;
    w->lockset = t->lockset;
    describe_wait(t, w);
    w->n_held = t->n_held;
    w->first_held_lock = t->n_held ? t->held[0].lock_id : 0;
  }
  rc_add_finding(f);
  rc_end_run(RC_END_DEADLOCK);
}

/* ---- the deterministic step budget (option max_steps) ----
 * A run that never ends within max_steps scheduling points is a `hang`
 * finding: a spin loop on a flag nobody sets, a livelocked retry loop. Being
 * counted in scheduling points (not seconds) it is reproducible by seed and
 * schedule file, unlike a CI time-out. The positions of the latest points
 * are kept in a ring so the report can name the loop that burnt them. */
const rc_site *rc_recent_sites[RC_RECENT_SITES];

static int compare_site_pointers(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)*(const rc_site *const *)a;
  uintptr_t y = (uintptr_t)*(const rc_site *const *)b;
  return x < y ? -1 : x > y;
}

/* The site seen most often among the latest points; ties go to the most
 * recently seen one, so the answer never depends on addresses. */
static const rc_site *busiest_recent_site(uint32_t *count_out) {
  uint64_t n = g_rt.steps < RC_RECENT_SITES ? g_rt.steps : RC_RECENT_SITES;
  static const rc_site *sorted[RC_RECENT_SITES];
  uint32_t m = 0;
  for (uint64_t i = 0; i < n; i++)
    if (rc_recent_sites[i])
      sorted[m++] = rc_recent_sites[i];
  qsort(sorted, m, sizeof sorted[0], compare_site_pointers);
  const rc_site *best = 0;
  uint32_t best_count = 0;
  for (uint64_t back = 0; back < n; back++) { /* newest first */
    const rc_site *site =
        rc_recent_sites[(g_rt.steps - back) & (RC_RECENT_SITES - 1)];
    if (!site)
      continue;
    const rc_site **hit =
        bsearch(&site, sorted, m, sizeof sorted[0], compare_site_pointers);
    uint32_t lo = (uint32_t)(hit - sorted), hi = lo;
    while (lo > 0 && sorted[lo - 1] == site)
      lo--;
    while (hi < m && sorted[hi] == site)
      hi++;
    if (hi - lo > best_count) {
      best = site;
      best_count = hi - lo;
    }
  }
  *count_out = best_count;
  return best;
}

/* Every live thread with its pending operation; `first` (the thread that
 * reached the last point, or the spinning one) comes first. */
static void add_live_threads(rc_finding *f, rc_thread *current) {
  uint32_t alive = 0;
  for (uint32_t i = 0; i < g_rt.n_threads; i++)
    if (g_rt.threads[i]->status != RC_THREAD_FINISHED)
      alive++;
  f->waiters = rc_alloc((alive ? alive : 1) * sizeof *f->waiters);
  for (uint32_t pass = 0; pass < 2; pass++) {
    for (uint32_t i = 0; i < g_rt.n_threads; i++) {
      rc_thread *t = g_rt.threads[i];
      if (t->status == RC_THREAD_FINISHED || (pass == 0) != (t == current))
        continue;
      rc_waiter *w = &f->waiters[f->n_waiters++];
      w->tid = t->tid;
      w->op = t->pending.kind;
      w->site = t->pending.site ? t->pending.site : t->last_site;
      w->stack = t->current_stack;
      w->lockset = t->lockset;
      if (t->status == RC_THREAD_BLOCKED) {
        describe_wait(t, w);
        w->has_holder = false; /* a hang names no holders */
      } else if (t->status == RC_THREAD_OUTSIDE) {
        w->object = RC_RECORD_WAIT_IO;
      } /* else runnable: it waits for nothing, it loops */
    }
  }
}

void rc_report_step_budget_hang(rc_thread *current) {
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_HANG;
  uint32_t busiest_count = 0;
  const rc_site *busiest = busiest_recent_site(&busiest_count);
  uint64_t window = g_rt.steps < RC_RECENT_SITES ? g_rt.steps : RC_RECENT_SITES;
  f->cause.set = true;
  f->cause.kind = RC_RECORD_CAUSE_MAX_STEPS;
  f->cause.values[f->cause.n_values++] = g_rt.options.max_steps;
  if (busiest) {
    f->cause.site = busiest;
    f->cause.values[f->cause.n_values++] = window;
    f->cause.values[f->cause.n_values++] = busiest_count;
  }
  add_live_threads(f, current);
  rc_add_finding(f);
  rc_end_run(RC_END_HANG);
}

/* ---- the progress rule: a thread spinning on values no one can write ----
 * livelock.c finds a cycle of steps, with a failed attempt in every period,
 * repeating without progress while every other thread is blocked (not on
 * a time-out, not outside in real I/O) or finished. Only the spinner could
 * change what it waits for, and its cycle shows it does not: the run can
 * never end, however long it went on, unless a signal handler changes it.
 * With a handler installed for a signal that can come from outside, the
 * spinner waits (really) for one, as the program would natively spin or
 * sleep until it comes: the run goes on when one arrives, and is a hang
 * when the watchdog's bound passes first (reported from the watchdog). */
/* A spin cause names this many signals with a handler at most (the cause's
 * values hold three numbers before them). */
#define RC_SPIN_SIGNALS_NAMED 5

static struct {
  rc_thread *spinner; /* set last: the others are valid while it is */
  const rc_site *site;
  uint64_t cycle_steps, repetitions;
} awaiting;

static void report_spin(rc_thread *spinner, const rc_site *site,
                        uint64_t cycle_steps, uint64_t repetitions,
                        uint64_t waited_ms) {
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_HANG;
  f->cause.set = true;
  f->cause.kind = RC_RECORD_CAUSE_SPIN;
  f->cause.tid = spinner->tid;
  f->cause.site = site;
  f->cause.values[f->cause.n_values++] = cycle_steps;
  f->cause.values[f->cause.n_values++] = repetitions;
  if (waited_ms) {
    f->cause.values[f->cause.n_values++] = waited_ms;
    int signals[RC_SPIN_SIGNALS_NAMED];
    uint32_t n = rc_signals_with_handler(signals, RC_SPIN_SIGNALS_NAMED);
    for (uint32_t i = 0; i < n; i++)
      f->cause.values[f->cause.n_values++] = (uint64_t)signals[i];
  }
  f->counts[f->n_counts++] = (rc_finding_count){"repetitions", repetitions};
  f->counts[f->n_counts++] = (rc_finding_count){"cycle_steps", cycle_steps};
  add_live_threads(f, spinner);
  rc_add_finding(f);
  rc_end_run(RC_END_HANG);
}

void rc_report_spin_hang(rc_thread *spinner, const rc_site *site,
                         uint64_t cycle_steps, uint64_t repetitions) {
  if (!rc_signals_external_handler_installed()) {
    report_spin(spinner, site, cycle_steps, repetitions, 0);
    return;
  }
  awaiting.site = site;
  awaiting.cycle_steps = cycle_steps;
  awaiting.repetitions = repetitions;
  __atomic_store_n(&awaiting.spinner, spinner, __ATOMIC_RELEASE);
  rc_signals_await_arrival();
  __atomic_store_n(&awaiting.spinner, (rc_thread *)0, __ATOMIC_RELEASE);
}

/* ---- the watchdog's hangs (watchdog.c watches) ---- */

/* The holder ran `still_ms` without a scheduling point while another
 * thread waits for it. */
static void report_spinning(rc_thread *current, uint64_t still_ms) {
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_HANG;
  f->cause.set = true;
  f->cause.kind = RC_RECORD_CAUSE_WATCHDOG;
  f->cause.tid = current->tid;
  f->cause.values[f->cause.n_values++] = (still_ms + 999) / 1000;
  f->waiters = rc_alloc(sizeof *f->waiters);
  f->n_waiters = 1;
  f->waiters[0].tid = current->tid;
  f->waiters[0].op = RC_OP_NONE;
  f->waiters[0].site = current->last_site;
  f->waiters[0].stack = current->current_stack;
  f->waiters[0].lockset = current->lockset;
  f->waiters[0].object = RC_RECORD_WAIT_SCHEDULING_POINT;
  rc_add_finding(f);
  rc_end_run(RC_END_HANG);
}

/* Every live thread is blocked in the kernel or in a modelled wait, and
 * nothing moved for `still_ms`: each one with its system call (from the
 * kernel, /proc/self/task/TID/syscall) or what it waits for, and its
 * shadow call stack. */
static void report_stuck(uint64_t still_ms) {
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_HANG;
  f->cause.set = true;
  f->cause.kind = RC_RECORD_CAUSE_KERNEL_WAIT;
  f->cause.values[f->cause.n_values++] = still_ms;
  uint32_t n = __atomic_load_n(&g_rt.n_threads, __ATOMIC_ACQUIRE);
  f->waiters = rc_alloc((n ? n : 1) * sizeof *f->waiters);
  for (uint32_t i = 0; i < n; i++) {
    rc_thread *t = g_rt.threads[i];
    if (t->status == RC_THREAD_FINISHED)
      continue;
    rc_waiter *w = &f->waiters[f->n_waiters++];
    w->tid = t->tid;
    w->op = t->pending.kind;
    w->site = t->last_site;
    w->stack = t->current_stack;
    w->lockset = t->lockset;
    if (t->status == RC_THREAD_BLOCKED) {
      w->site = t->wait_site ? t->wait_site : t->last_site;
      describe_wait(t, w);
      w->has_holder = false;
      continue;
    }
    /* The call it waits in: intercepted, where the watchdog took its
     * token, or (a holder nobody took it from) the call it made last. */
    const rc_site *const *slot = rc_ext(t)->call_site_slot;
    const rc_site *made = slot ? __atomic_load_n(slot, __ATOMIC_RELAXED) : 0;
    if ((t->pending.kind == RC_OP_IO_RETURN ||
         t->pending.kind == RC_OP_SYSCALL) &&
        t->pending.site)
      w->site = t->pending.site;
    else if (t->status == RC_THREAD_ENABLED && made)
      w->site = made;
    rc_task_syscall call;
    int32_t tid = __atomic_load_n(&rc_ext(t)->kernel_tid, __ATOMIC_ACQUIRE);
    w->op = RC_OP_SYSCALL;
    w->object = RC_RECORD_WAIT_IO;
    if (tid > 0 && rc_task_syscall_of(tid, &call) && call.number >= 0) {
      w->object = RC_RECORD_WAIT_SYSCALL;
      w->object_id = (uint32_t)call.number;
    }
  }
  rc_add_finding(f);
  rc_end_run(RC_END_HANG);
}

void rc_watchdog_report_hang(uint64_t still_ms, rc_hang_kind kind) {
  rc_thread *current = __atomic_load_n(&g_rt.current, __ATOMIC_ACQUIRE);
  if (g_rt.finalized)
    return;
  rc_thread *spinner = __atomic_load_n(&awaiting.spinner, __ATOMIC_ACQUIRE);
  if (spinner)
    report_spin(spinner, awaiting.site, awaiting.cycle_steps,
                awaiting.repetitions, still_ms ? still_ms : 1);
  else if (kind == RC_HANG_STUCK)
    report_stuck(still_ms);
  else if (current)
    report_spinning(current, still_ms);
}
