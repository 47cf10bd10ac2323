/* hang.c — what a run that cannot end was doing: the deadlock report (every
 * blocked thread, what it waits for, who holds that, what it holds), the
 * step-budget hang (the busiest recent site and every live thread) and the
 * watchdog's hang (the thread that stopped reaching scheduling points).
 * Each finding goes to the finding sink, which ends the run (hang.h). */
#include "detect/hang.h"
#include "core/finding_sink.h"
#include "sched/scheduler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- deadlocks ---- */
static void describe_wait(rc_thread *t, char *buf, size_t size,
                          rc_thread **holder) {
  *holder = 0;
  if (t->pending.kind == RC_OP_THREAD_JOIN && t->wait_object) {
    snprintf(buf, size, "thread T%u", ((rc_thread *)t->wait_object)->tid);
    return;
  }
  rc_sync *s = t->wait_object ? rc_sync_find(t->wait_object) : 0;
  if (!s) {
    char name[96];
    const char *global =
        t->wait_object
            ? rc_global_name_at((uintptr_t)t->wait_object, name, sizeof name)
            : 0;
    snprintf(buf, size, "%s%s%s", rc_op_name(t->pending.kind),
             global ? " on " : "", global ? global : "");
    return;
  }
  rc_sync_describe(s, buf, size);
  *holder = rc_sync_owner(s);
}

void rc_report_deadlock(const char *headline) {
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_DEADLOCK;
  uint32_t blocked = 0;
  for (uint32_t i = 0; i < g_rt.n_threads; i++)
    if (g_rt.threads[i]->status == RC_THREAD_BLOCKED)
      blocked++;
  f->waiters = rc_alloc((blocked ? blocked : 1) * sizeof *f->waiters);
  size_t len = 0;
  len += (size_t)snprintf(f->detail, sizeof f->detail, "%s",
                          headline ? headline : "no thread can make progress:");
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
    rc_thread *holder;
    describe_wait(t, w->object, sizeof w->object, &holder);
    if (len < sizeof f->detail) {
      len += (size_t)snprintf(f->detail + len, sizeof f->detail - len,
                              " T%u waits for %s", t->tid, w->object);
      if (holder && len < sizeof f->detail)
        len += (size_t)snprintf(f->detail + len, sizeof f->detail - len,
                                " held by T%u", holder->tid);
      if (t->n_held && len < sizeof f->detail) {
        char name[96];
        rc_sync_describe_lock(t->held[0].lock_id, name, sizeof name);
        len += (size_t)snprintf(f->detail + len, sizeof f->detail - len,
                                " while holding %s%s", name,
                                t->n_held > 1 ? " and more" : "");
      }
      if (len < sizeof f->detail)
        len += (size_t)snprintf(f->detail + len, sizeof f->detail - len, ";");
    }
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

static const char *site_basename(const rc_site *site) {
  const char *file = site && site->file ? site->file : "?";
  const char *slash = strrchr(file, '/');
  return slash ? slash + 1 : file;
}

void rc_report_step_budget_hang(rc_thread *current) {
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_HANG;
  uint32_t busiest_count = 0;
  const rc_site *busiest = busiest_recent_site(&busiest_count);
  uint64_t window = g_rt.steps < RC_RECENT_SITES ? g_rt.steps : RC_RECENT_SITES;
  if (busiest)
    snprintf(f->detail, sizeof f->detail,
             "the run did not end within max_steps=%llu scheduling points; "
             "busiest site in the last %llu points: %s:%u (%u times)",
             (unsigned long long)g_rt.options.max_steps,
             (unsigned long long)window, site_basename(busiest), busiest->line,
             busiest_count);
  else
    snprintf(f->detail, sizeof f->detail,
             "the run did not end within max_steps=%llu scheduling points",
             (unsigned long long)g_rt.options.max_steps);
  uint32_t alive = 0;
  for (uint32_t i = 0; i < g_rt.n_threads; i++)
    if (g_rt.threads[i]->status != RC_THREAD_FINISHED)
      alive++;
  f->waiters = rc_alloc((alive ? alive : 1) * sizeof *f->waiters);
  /* Every live thread with its pending operation; the thread that reached
   * the last point comes first, at the busiest site when that is its own. */
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
        rc_thread *holder;
        describe_wait(t, w->object, sizeof w->object, &holder);
      } else if (t->status == RC_THREAD_OUTSIDE) {
        snprintf(w->object, sizeof w->object, "real I/O");
      } /* else runnable: it waits for nothing, it loops */
    }
  }
  rc_add_finding(f);
  rc_end_run(RC_END_HANG);
}

/* ---- the watchdog's hang (scheduler.c watches) ---- */
void rc_watchdog_report_hang(uint64_t still) {
  rc_thread *current = __atomic_load_n(&g_rt.current, __ATOMIC_RELAXED);
  if (g_rt.finalized || !current)
    return;
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_HANG;
  snprintf(f->detail, sizeof f->detail,
           "thread T%u ran %llu s without reaching a scheduling point: "
           "spinning in uninstrumented code? mark the wait with "
           "racecheck_spin_wait()",
           current->tid, (unsigned long long)still);
  f->waiters = rc_alloc(sizeof *f->waiters);
  f->n_waiters = 1;
  f->waiters[0].tid = current->tid;
  f->waiters[0].op = RC_OP_NONE;
  f->waiters[0].site = current->last_site;
  f->waiters[0].stack = current->current_stack;
  f->waiters[0].lockset = current->lockset;
  snprintf(f->waiters[0].object, sizeof f->waiters[0].object,
           "a scheduling point");
  rc_add_finding(f);
  rc_end_run(RC_END_HANG);
}
