/* scheduler.c — the only code that moves the run token between threads.
 *
 * Each real thread parks on its own futex word (wake_word) while another one
 * holds the token. At a scheduling point the holder collects the enabled
 * threads, asks the strategy for one, and hands the token over. Blocking
 * primitives are modelled by the interceptors: rc_block_current() marks the
 * caller BLOCKED, rc_schedule() then runs others until someone calls
 * rc_unblock() and the strategy picks the caller again.
 *
 * When no thread is enabled: blocked threads with a deadline are timed out
 * in virtual time (earliest first); threads away in real I/O (OUTSIDE) are
 * waited for; otherwise the run is deadlocked, which is reported as a
 * finding instead of hanging. The only concurrency inside the runtime is the
 * hand-over itself and the queue of threads returning from real I/O, both
 * with atomics. */
#include "sched/fairness.h"
#include "detect/livelock.h"
#include "sched/scheduler.h"
#include "record/schedule.h"

#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

__thread rc_thread *rc_self __attribute__((tls_model("initial-exec")));

/* ---- park / unpark ----
 * wake_word: 0 = waiting (spinning), 1 = woken, 2 = asleep in FUTEX_WAIT.
 * Spinning first makes a hand-over cost well under a microsecond when the
 * target is still on a CPU; the futex syscall is only paid when it went to
 * sleep. How long to spin depends on the odds of being picked again soon:
 * with one other enabled thread the token comes straight back, with several
 * the spinners would steal the CPUs from the token holder. Measured on 2
 * loaded cores: a 2-thread yield ping-pong takes 0.25 us per switch with 300
 * spins and 5 us with 100; a 4-thread mutex benchmark 8 us per switch with
 * 100 spins and 15 us with 300. */
enum { WAKE_WAITING = 0, WAKE_WOKEN = 1, WAKE_SLEEPING = 2 };
#define RC_PARK_SPINS_LIKELY 300 /* at most one other thread could run */
#define RC_PARK_SPINS_CROWDED 50 /* several could: sleep soon */
/* Pinned to one CPU (affinity.c): a fork-served yield_pingpong child (about
 * 20,000 switches) took 98-109 ms sleeping on the futex at once, 77-81 ms
 * with 2 yields first, 72-79 ms with 4 and 78-84 ms with 8. */
#define RC_PARK_YIELDS_PINNED 4
/* Not pinned, after the spins, with at most one other thread able to run:
 * keep polling with sched_yield for up to ~100 us before the futex. The
 * token then usually comes back to a thread still on its CPU (a forced
 * preemption hands it back after preempt_budget events, tens of
 * microseconds), not to one the kernel must wake, which costs ~20 us on this
 * VM; sched_yield gives the CPU away whenever anything else wants it, so a
 * parallel job loses nothing. Medians of 3x5 runs (0 -> 200 yields):
 * histogram 0.121 -> 0.110 s, producer_consumer 0.147 -> 0.125 s,
 * mutex_counter 0.109 -> 0.100 s. */
#define RC_PARK_YIELDS_LIKELY 200
static uint32_t last_enabled_count; /* at the latest decision */

static void park(rc_thread *t) {
  /* Pinned to one CPU (a fork server's child, affinity.c), the token holder
   * cannot run while we spin: no spinning. */
  int spins = rc_cpu_pinned                ? 0
              : last_enabled_count <= 2 ? RC_PARK_SPINS_LIKELY
                                        : RC_PARK_SPINS_CROWDED;
  for (int i = 0; i < spins; i++) {
    if (__atomic_load_n(&t->wake_word, __ATOMIC_ACQUIRE) == WAKE_WOKEN)
      goto woken;
    __builtin_ia32_pause();
  }
  /* Pinned, yielding the CPU instead is the cheap hand-over: the token
   * holder, which woke us by a store, gets the CPU back at once, and when
   * it hands the token back and parks, its own sched_yield switches to us
   * without a futex wake-up. Only when the token likely comes straight
   * back (at most one other thread could run), and a few times: a thread
   * left waiting longer sleeps on the futex as before. */
  int yields = last_enabled_count > 2 ? 0
               : rc_cpu_pinned      ? RC_PARK_YIELDS_PINNED
                                    : RC_PARK_YIELDS_LIKELY;
  for (int i = 0; i < yields; i++) {
    if (__atomic_load_n(&t->wake_word, __ATOMIC_ACQUIRE) == WAKE_WOKEN)
      goto woken;
    rc_raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
  }
  for (;;) {
    uint32_t expected = WAKE_WAITING;
    if (__atomic_compare_exchange_n(&t->wake_word, &expected, WAKE_SLEEPING,
                                    false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE) ||
        expected == WAKE_SLEEPING) {
      rc_futex_wait(&t->wake_word, WAKE_SLEEPING);
      continue;
    }
    if (expected == WAKE_WOKEN)
      break;
  }
woken:
  __atomic_store_n(&t->wake_word, WAKE_WAITING, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static void unpark(rc_thread *t) {
  if (__atomic_exchange_n(&t->wake_word, WAKE_WOKEN, __ATOMIC_ACQ_REL) ==
      WAKE_SLEEPING)
    rc_futex_wake(&t->wake_word, 1);
}

/* ---- threads coming back from real I/O ----
 * They push themselves on a lock-free stack and bump io_return_seq, which a
 * token holder with nothing to run sleeps on. When the token is idle
 * (every thread outside or finished) a returner takes it itself. */
static rc_thread *io_queue;
static volatile uint32_t io_return_seq;
static uint32_t token_idle;
static uint32_t n_outside; /* changed only by the token holder */
static volatile uint64_t waiting_for_io; /* for the watchdog */

static void absorb_io_returns(void) {
  rc_thread *t = __atomic_exchange_n(&io_queue, (rc_thread *)0, __ATOMIC_ACQUIRE);
  while (t) {
    rc_thread *next = rc_ext(t)->io_next;
    RC_CHECK(t->status == RC_THREAD_OUTSIDE);
    t->status = RC_THREAD_ENABLED;
    n_outside--;
    t = next;
  }
}

/* ---- blocking ---- */
void rc_block_current_until(void *object, const rc_site *site,
                            uint64_t deadline_ns) {
  rc_thread *t = rc_self;
  RC_CHECK(t && g_rt.current == t);
  t->status = RC_THREAD_BLOCKED;
  t->wait_object = object;
  t->wait_site = site;
  t->timed_deadline_ns = deadline_ns;
  t->timed_out = false;
}

void rc_block_current(void *object, const rc_site *site) {
  rc_block_current_until(object, site, 0);
}

/* Makes a blocked thread enabled again (its wait ended). */
static void release_thread(rc_thread *t) {
  t->status = RC_THREAD_ENABLED;
  t->wait_object = 0;
  t->timed_deadline_ns = 0;
}

void rc_unblock(rc_thread *t) {
  if (t->status != RC_THREAD_BLOCKED)
    return;
  release_thread(t);
  /* Another thread's action released it: progress (livelock.c). */
  rc_livelock_progress();
  if (rc_self)
    rc_fair_note_release(rc_self->tid);
}

void rc_unblock_all(const void *object) {
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    rc_thread *t = g_rt.threads[i];
    if (t->status == RC_THREAD_BLOCKED && t->wait_object == object)
      rc_unblock(t);
  }
}

/* ---- choosing the next thread ---- */
static rc_tid *enabled_buf;
static uint32_t enabled_cap;

static void log_decision(rc_thread *chosen) {
  if (g_rt.n_decisions == g_rt.decisions_cap) {
    uint64_t cap = g_rt.decisions_cap ? g_rt.decisions_cap * 2 : 4096;
    g_rt.decisions = rc_realloc(g_rt.decisions,
                                g_rt.decisions_cap * sizeof *g_rt.decisions,
                                cap * sizeof *g_rt.decisions);
    g_rt.decisions_cap = cap;
  }
  struct rc_decision *d = &g_rt.decisions[g_rt.n_decisions++];
  d->step = g_rt.steps;
  d->chosen = chosen->tid;
  d->op = chosen->pending.kind;
  d->site = chosen->pending.site;
}

/* Times out blocked threads whose virtual deadline has passed; returns the
 * earliest deadline still pending (UINT64_MAX if none). */
static uint64_t expire_deadlines(void) {
  uint64_t earliest = UINT64_MAX;
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    rc_thread *t = g_rt.threads[i];
    if (t->status != RC_THREAD_BLOCKED || t->timed_deadline_ns == 0)
      continue;
    if (t->timed_deadline_ns <= g_rt.virtual_time_ns) {
      /* Time ran out: no other thread released it (no progress); a timed
       * wait that times out is a failed attempt for fairness, a sleep
       * merely ends. */
      release_thread(t);
      t->timed_out = true;
      if (t->pending.kind != RC_OP_SLEEP)
        rc_fair_yield(t->tid);
    } else if (t->timed_deadline_ns < earliest) {
      earliest = t->timed_deadline_ns;
    }
  }
  return earliest;
}

/* Waits (really) until some thread returns from I/O or `timeout_ns` passes. */
static void wait_for_io_return(uint64_t timeout_ns) {
  uint32_t seq = __atomic_load_n(&io_return_seq, __ATOMIC_ACQUIRE);
  if (__atomic_load_n(&io_queue, __ATOMIC_ACQUIRE))
    return;
  struct timespec ts = {(time_t)(timeout_ns / 1000000000u),
                        (long)(timeout_ns % 1000000000u)};
  __atomic_add_fetch(&waiting_for_io, 1, __ATOMIC_RELAXED);
  rc_raw_syscall(SYS_futex, (long)&io_return_seq, FUTEX_WAIT_PRIVATE, seq,
                 timeout_ns == UINT64_MAX ? 0 : (long)&ts, 0, 0);
  __atomic_sub_fetch(&waiting_for_io, 1, __ATOMIC_RELAXED);
}

/* Picks the next holder of the token. `leaving`: the caller cannot wait for
 * others (it finished or goes outside); returns null when nobody can run
 * until a thread comes back from I/O, or when every thread finished. */
static rc_thread *pick_next(rc_thread *self, bool leaving) {
  for (;;) {
    absorb_io_returns();
    uint64_t earliest = expire_deadlines();
    uint32_t n = 0;
    if (enabled_cap < g_rt.n_threads) {
      uint32_t cap = g_rt.threads_cap > 64 ? g_rt.threads_cap : 64;
      enabled_buf = rc_realloc(enabled_buf, enabled_cap * sizeof(rc_tid),
                               cap * sizeof(rc_tid));
      enabled_cap = cap;
    }
    uint32_t alive = 0;
    for (uint32_t i = 0; i < g_rt.n_threads; i++) {
      rc_thread *t = g_rt.threads[i];
      if (t->status == RC_THREAD_ENABLED)
        enabled_buf[n++] = t->tid;
      if (t->status != RC_THREAD_FINISHED)
        alive++;
    }
    if (n > 0) {
      last_enabled_count = n;
      /* The fair layer narrows the choice before the strategy makes it. */
      n = rc_fair_filter(self->tid, self->pending.kind, enabled_buf, n,
                         g_rt.n_threads, g_rt.steps);
      rc_switches_note_point(self);
      rc_sched_point point = {self->tid, enabled_buf, n, g_rt.steps};
      /* Before the schedule starts (rc_schedule_begin) only T0 exists. */
      rc_tid chosen = g_rt.schedule_started
                          ? g_rt.strategy->pick(g_rt.strategy, &point)
                          : enabled_buf[0];
      RC_CHECK(chosen < g_rt.n_threads &&
               g_rt.threads[chosen]->status == RC_THREAD_ENABLED);
      rc_fair_scheduled(chosen, g_rt.steps);
      if (n > 1) {
        log_decision(g_rt.threads[chosen]);
        rc_switches_note_choice(self, chosen);
      }
      return g_rt.threads[chosen];
    }
    if (alive == 0)
      return 0; /* the last thread finished: the process exits */
    if (n_outside > 0) {
      if (leaving && earliest == UINT64_MAX)
        return 0;
      if (leaving)
        goto advance; /* nobody would be left to advance time */
      /* Real input decides; give it a moment before virtual time jumps. */
      wait_for_io_return(earliest == UINT64_MAX ? UINT64_MAX : 10000000u);
      if (__atomic_load_n(&io_queue, __ATOMIC_ACQUIRE) || earliest == UINT64_MAX)
        continue;
    }
  advance:
    if (earliest != UINT64_MAX) {
      /* Everyone waits for time to pass: jump to the first deadline. */
      g_rt.virtual_time_ns = earliest;
      continue;
    }
    rc_report_deadlock(0);
  }
}

static void deliver_signals(rc_thread *t) {
  if (RC_LIKELY(!t->pending_signals) || t->status != RC_THREAD_ENABLED)
    return;
  rc_pending_op saved = t->pending;
  rc_signals_deliver_pending(t);
  t->pending = saved;
}

static void describe_wait(rc_thread *t, char *buf, size_t size,
                          rc_thread **holder);

/* ---- the deterministic step budget (option max_steps) ----
 * A run that never ends within max_steps scheduling points is a `hang`
 * finding: a spin loop on a flag nobody sets, a livelocked retry loop. Being
 * counted in scheduling points (not seconds) it is reproducible by seed and
 * schedule file, unlike a CI time-out. The positions of the latest points
 * are kept in a ring so the report can name the loop that burnt them. */
#define RC_RECENT_SITES 4096 /* power of two */
static const rc_site *recent_sites[RC_RECENT_SITES];

static inline void note_step_site(const rc_site *site) {
  recent_sites[g_rt.steps & (RC_RECENT_SITES - 1)] = site;
}

static int compare_site_pointers(const void *a, const void *b) {
  uintptr_t x = (uintptr_t) * (const rc_site *const *)a;
  uintptr_t y = (uintptr_t) * (const rc_site *const *)b;
  return x < y ? -1 : x > y;
}

/* The site seen most often among the latest points; ties go to the most
 * recently seen one, so the answer never depends on addresses. */
static const rc_site *busiest_recent_site(uint32_t *count_out) {
  uint64_t n = g_rt.steps < RC_RECENT_SITES ? g_rt.steps : RC_RECENT_SITES;
  static const rc_site *sorted[RC_RECENT_SITES];
  uint32_t m = 0;
  for (uint64_t i = 0; i < n; i++)
    if (recent_sites[i])
      sorted[m++] = recent_sites[i];
  qsort(sorted, m, sizeof sorted[0], compare_site_pointers);
  const rc_site *best = 0;
  uint32_t best_count = 0;
  for (uint64_t back = 0; back < n; back++) { /* newest first */
    const rc_site *site = recent_sites[(g_rt.steps - back) & (RC_RECENT_SITES - 1)];
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

__attribute__((noreturn)) static void report_step_budget_hang(rc_thread *current) {
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
  rc_finish_with_finding(f);
}

void rc_schedule(rc_op_kind kind, const void *object, const rc_site *site) {
  rc_thread *t = rc_self;
  if (RC_UNLIKELY(!t || g_rt.finalized))
    return;
  RC_CHECK(g_rt.current == t);
  deliver_signals(t);
  t->pending.kind = kind;
  t->pending.object = object;
  t->pending.site = site;
  g_rt.steps++;
  note_step_site(site ? site : t->last_site);
  if (RC_UNLIKELY(g_rt.options.max_steps && g_rt.steps > g_rt.options.max_steps))
    report_step_budget_hang(t);
  rc_livelock_step(t, kind, object, site);
  rc_thread *next = pick_next(t, false);
  if (next != t) {
    g_rt.switches++;
    g_rt.current = next;
    unpark(next);
    park(t);
    RC_CHECK(g_rt.current == t && t->status == RC_THREAD_ENABLED);
    deliver_signals(t);
  }
  /* pending stays: it is the thread's latest visible operation, which
   * deadlock and crash reports name. */
}

void rc_schedule_leave(void) {
  rc_thread *t = rc_self;
  RC_CHECK(t && g_rt.current == t);
  RC_CHECK(t->status == RC_THREAD_FINISHED || t->status == RC_THREAD_OUTSIDE);
  if (t->status == RC_THREAD_OUTSIDE)
    n_outside++;
  rc_livelock_progress(); /* a thread finished, or real I/O takes part */
  g_rt.steps++;
  for (;;) {
    rc_thread *next = pick_next(t, true);
    if (next) {
      g_rt.switches++;
      g_rt.current = next;
      unpark(next);
      return;
    }
    bool any_alive = false;
    for (uint32_t i = 0; i < g_rt.n_threads && !any_alive; i++)
      any_alive = g_rt.threads[i]->status != RC_THREAD_FINISHED;
    if (!any_alive)
      /* The last thread ended (the main thread called pthread_exit): glibc
       * would exit(0) now, but our watchdog thread would keep the process
       * alive. */
      exit(0);
    /* Nobody can run: leave the token idle. A returner publishes itself and
     * then tries to take the idle token; we publish idleness and then look
     * for returners, so one of the two always sees the other. */
    g_rt.current = 0;
    __atomic_store_n(&token_idle, 1, __ATOMIC_SEQ_CST);
    if (!__atomic_load_n(&io_queue, __ATOMIC_SEQ_CST))
      return;
    uint32_t expected = 1;
    if (!__atomic_compare_exchange_n(&token_idle, &expected, 0, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
      return; /* the returner took it */
    g_rt.current = t; /* hold it again just to hand it to the returner */
  }
}

void rc_schedule_return(rc_thread *t) {
  rc_thread *head = __atomic_load_n(&io_queue, __ATOMIC_RELAXED);
  do {
    rc_ext(t)->io_next = head;
  } while (!__atomic_compare_exchange_n(&io_queue, &head, t, true,
                                        __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
  __atomic_add_fetch(&io_return_seq, 1, __ATOMIC_SEQ_CST);
  rc_futex_wake(&io_return_seq, 1);
  uint32_t expected = 1;
  if (__atomic_compare_exchange_n(&token_idle, &expected, 0, false,
                                  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    g_rt.current = t;
    absorb_io_returns();
    rc_schedule(RC_OP_IO_RETURN, 0, t->last_site);
    return;
  }
  park(t);
  RC_CHECK(g_rt.current == t && t->status == RC_THREAD_ENABLED);
}

void rc_wait_for_token(rc_thread *t) {
  rc_affinity_thread_start(t);
  park(t);
  RC_CHECK(g_rt.current == t && t->status == RC_THREAD_ENABLED);
}

/* ---- forced preemption ---- */
void rc_preempt_point(void) {
  rc_thread *t = g_rt.current;
  if (!t)
    return;
  uint64_t budget = g_rt.options.preempt_budget;
  if (budget == 0 || budget > UINT32_MAX / 2)
    budget = UINT32_MAX / 2;
  /* Randomised in [1, 2*budget] so that fixed-length loops do not always
   * switch at the same iteration; deterministic through the strategy. */
  if (g_rt.schedule_started) /* before: the same for every seed */
    budget = 1 + g_rt.strategy->random(g_rt.strategy, 2 * budget);
  t->budget = (uint32_t)budget;
  if (rc_self != t)
    return;
  rc_schedule(RC_OP_PREEMPT, 0, t->last_site);
}

/* ---- deadlock reports ---- */
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
        t->wait_object ? rc_global_name_at((uintptr_t)t->wait_object, name,
                                           sizeof name)
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
                          headline ? headline
                                   : "no thread can make progress:");
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
  rc_finish_with_finding(f);
}

/* ---- watchdog ----
 * Watches the step and event counters; a thread spinning in uninstrumented
 * code never reaches a scheduling point and would otherwise hang the run
 * silently. In a process of its own it is a raw thread (not registered,
 * invisible to the program), started at the first pthread_create. A fork
 * server's child has none: the server, which waits for the child anyway,
 * reads the same counters from the child's memory once a second
 * (rc_watchdog_check_child, same addresses after fork) and, when the child
 * hangs, has it report the hang (rc_watchdog_report_hang) — one thread
 * creation less per schedule. Both judge with watchdog_tick. */

/* What the watchdog looks at, once a second. */
typedef struct rc_watchdog_view {
  uint64_t steps, events;
  bool has_current;     /* some thread holds the token */
  bool current_outside; /* ... and it is away in real I/O */
  uint32_t alive;       /* threads not finished */
  bool waiting_for_io;  /* the token holder waits for an I/O return */
  uint64_t watchdog_seconds;
} rc_watchdog_view;

/* One second passed: true when the run is hung, i.e. quiet for
 * watchdog_seconds seconds in a row while a thread holds the token and
 * another one waits for it. */
static bool watchdog_tick(rc_watchdog *w, const rc_watchdog_view *v) {
  bool quiet = v->steps == w->last_steps && v->events == w->last_events;
  w->last_steps = v->steps;
  w->last_events = v->events;
  if (!quiet || !v->has_current || v->alive < 2 || v->waiting_for_io ||
      v->current_outside) {
    w->still = 0;
    return false;
  }
  return ++w->still >= v->watchdog_seconds;
}

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
  rc_finish_with_finding(f);
}

static void *watchdog_main(void *arg) {
  (void)arg;
  rc_watchdog w = {g_rt.steps, g_rt.events, 0, true};
  for (;;) {
    struct timespec one_second = {1, 0};
    rc_raw_syscall(SYS_nanosleep, (long)&one_second, 0, 0, 0, 0, 0);
    if (g_rt.finalized)
      return 0;
    rc_watchdog_view v = {0};
    v.steps = __atomic_load_n(&g_rt.steps, __ATOMIC_RELAXED);
    v.events = __atomic_load_n(&g_rt.events, __ATOMIC_RELAXED);
    rc_thread *current = __atomic_load_n(&g_rt.current, __ATOMIC_RELAXED);
    v.has_current = current != 0;
    v.current_outside = current && current->status == RC_THREAD_OUTSIDE;
    for (uint32_t i = 0; i < g_rt.n_threads; i++)
      if (g_rt.threads[i]->status != RC_THREAD_FINISHED)
        v.alive++;
    v.waiting_for_io = __atomic_load_n(&waiting_for_io, __ATOMIC_RELAXED) != 0;
    v.watchdog_seconds = g_rt.options.watchdog_seconds;
    if (watchdog_tick(&w, &v))
      rc_watchdog_report_hang(w.still);
  }
}

bool rc_watchdog_by_server;
/* Set in a served child when the watchdog would have started: the server
 * begins to count then (read by rc_watchdog_check_child). */
static volatile bool watchdog_armed;
/* The counters then: the server's first comparison is against them, as the
 * thread's would be. */
static uint64_t armed_steps, armed_events;
static bool watchdog_started;

static void start_watchdog_thread(void) {
  static int (*real_create)(pthread_t *, const pthread_attr_t *,
                            void *(*)(void *), void *);
  RC_REAL(real_create, "pthread_create");
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pthread_t tid;
  static int (*real_detach)(pthread_t);
  RC_REAL(real_detach, "pthread_detach");
  if (real_create(&tid, 0, watchdog_main, 0) == 0)
    real_detach(tid);
  pthread_sigmask(SIG_SETMASK, &old, 0);
}

/* Called at every pthread_create of the program, before the thread
 * exists. */
void rc_watchdog_start(void) {
  /* A served child's first thread is also when it pins itself to its CPU
   * (affinity.c). */
  rc_affinity_first_thread();
  if (watchdog_started || g_rt.options.watchdog_seconds == 0)
    return;
  watchdog_started = true;
  /* The program's own fork children are not watched by the server. */
  if (rc_watchdog_by_server && !g_rt.fork_child) {
    armed_steps = g_rt.steps;
    armed_events = g_rt.events;
    __atomic_store_n(&watchdog_armed, true, __ATOMIC_RELEASE);
  }
  else
    start_watchdog_thread();
}

void rc_watchdog_take_back(void) {
  if (!rc_watchdog_by_server)
    return;
  rc_watchdog_by_server = false;
  if (watchdog_armed) {
    watchdog_armed = false;
    start_watchdog_thread();
  }
}

/* Reads `n` pieces of the child's memory (same addresses as ours). */
static bool read_child(int pid, struct iovec *local, struct iovec *remote,
                       unsigned long n) {
  size_t want = 0;
  for (unsigned long i = 0; i < n; i++)
    want += local[i].iov_len;
  return rc_raw_syscall(SYS_process_vm_readv, pid, (long)local, (long)n,
                        (long)remote, (long)n, 0) == (long)want;
}

uint64_t rc_watchdog_check_child(int pid, rc_watchdog *w) {
  rc_runtime rt;
  bool armed;
  uint64_t io_waiters, steps_then, events_then;
  struct iovec local[5] = {{&rt, sizeof rt},
                           {&armed, sizeof armed},
                           {&io_waiters, sizeof io_waiters},
                           {&steps_then, sizeof steps_then},
                           {&events_then, sizeof events_then}};
  struct iovec remote[5] = {{&g_rt, sizeof rt},
                            {(void *)&watchdog_armed, sizeof armed},
                            {(void *)&waiting_for_io, sizeof io_waiters},
                            {&armed_steps, sizeof steps_then},
                            {&armed_events, sizeof events_then}};
  if (!read_child(pid, local, remote, 5) || !armed || rt.finalized)
    return 0;
  if (!w->began) /* the thread would have started then */
    *w = (rc_watchdog){steps_then, events_then, 0, true};
  rc_watchdog_view v = {0};
  v.steps = rt.steps;
  v.events = rt.events;
  v.has_current = rt.current != 0;
  v.waiting_for_io = io_waiters != 0;
  v.watchdog_seconds = rt.options.watchdog_seconds;
  /* The threads' states, a batch of pointers then their status fields. */
  enum { BATCH = 256 };
  for (uint32_t first = 0; first < rt.n_threads; first += BATCH) {
    uint32_t n = rt.n_threads - first < BATCH ? rt.n_threads - first : BATCH;
    rc_thread *threads[BATCH];
    rc_thread_status status[BATCH];
    struct iovec l1 = {threads, n * sizeof threads[0]};
    struct iovec r1 = {rt.threads + first, n * sizeof threads[0]};
    if (!read_child(pid, &l1, &r1, 1))
      return 0;
    struct iovec ls[BATCH], rs[BATCH];
    for (uint32_t i = 0; i < n; i++) {
      ls[i] = (struct iovec){&status[i], sizeof status[i]};
      rs[i] = (struct iovec){&threads[i]->status, sizeof status[i]};
    }
    if (!read_child(pid, ls, rs, n))
      return 0;
    for (uint32_t i = 0; i < n; i++) {
      if (status[i] != RC_THREAD_FINISHED)
        v.alive++;
      if (threads[i] == rt.current)
        v.current_outside = status[i] == RC_THREAD_OUTSIDE;
    }
  }
  return watchdog_tick(w, &v) ? w->still : 0;
}

const char *rc_op_name(rc_op_kind kind) {
  static const char *const names[RC_OP_COUNT] = {
      [RC_OP_NONE] = "none",
      [RC_OP_THREAD_START] = "thread start",
      [RC_OP_THREAD_CREATE] = "pthread_create",
      [RC_OP_THREAD_JOIN] = "pthread_join",
      [RC_OP_THREAD_EXIT] = "thread exit",
      [RC_OP_MUTEX_LOCK] = "mutex lock",
      [RC_OP_MUTEX_TRYLOCK] = "mutex trylock",
      [RC_OP_MUTEX_UNLOCK] = "mutex unlock",
      [RC_OP_RWLOCK_RDLOCK] = "rwlock read lock",
      [RC_OP_RWLOCK_WRLOCK] = "rwlock write lock",
      [RC_OP_RWLOCK_TRYRDLOCK] = "rwlock try read lock",
      [RC_OP_RWLOCK_TRYWRLOCK] = "rwlock try write lock",
      [RC_OP_RWLOCK_UNLOCK] = "rwlock unlock",
      [RC_OP_COND_WAIT] = "condition wait",
      [RC_OP_COND_SIGNAL] = "condition signal",
      [RC_OP_COND_BROADCAST] = "condition broadcast",
      [RC_OP_SEM_WAIT] = "semaphore wait",
      [RC_OP_SEM_TRYWAIT] = "semaphore trywait",
      [RC_OP_SEM_POST] = "semaphore post",
      [RC_OP_BARRIER_WAIT] = "barrier wait",
      [RC_OP_ONCE] = "pthread_once",
      [RC_OP_GUARD_ACQUIRE] = "static initialisation",
      [RC_OP_GUARD_RELEASE] = "static initialisation done",
      [RC_OP_FUTEX_WAIT] = "futex wait",
      [RC_OP_FUTEX_WAKE] = "futex wake",
      [RC_OP_ATOMIC_LOAD] = "atomic load",
      [RC_OP_ATOMIC_STORE] = "atomic store",
      [RC_OP_ATOMIC_RMW] = "atomic read-modify-write",
      [RC_OP_ATOMIC_CMPXCHG] = "atomic compare-exchange",
      [RC_OP_ATOMIC_FENCE] = "atomic fence",
      [RC_OP_YIELD] = "yield",
      [RC_OP_SLEEP] = "sleep",
      [RC_OP_PREEMPT] = "preemption",
      [RC_OP_IO_RETURN] = "return from I/O",
      [RC_OP_SPIN_WAIT] = "spin wait",
      [RC_OP_MEMORY_ACCESS] = "memory access",
      [RC_OP_SPURIOUS_WAKEUP] = "spurious wakeup",
  };
  return kind < RC_OP_COUNT && names[kind] ? names[kind] : "unknown";
}
