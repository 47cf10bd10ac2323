/* scheduler.c — the only code that moves the run token between threads.
 *
 * Each real thread parks on its own futex word (handoff.c) while another one
 * holds the token. At a scheduling point the holder collects the enabled
 * threads, asks the strategy for one, and hands the token over. Blocking
 * primitives are modelled by the interceptors: rc_block_current() marks the
 * caller BLOCKED, rc_schedule() then runs others until someone calls
 * rc_unblock() and the strategy picks the caller again.
 *
 * Time is not synchronisation, yet it passes with the work done: every
 * point moves virtual time on by step_ns, and a timed wait whose deadline
 * passed is enabled again. Before its time, a thread in a sleep or timed
 * wait is offered to the strategy among the enabled threads (the earliest
 * deadline only) at every point of the run's first early_wake_steps, and
 * after them wherever the running thread gives the processor up of its own
 * accord (it yields, sleeps, spins or finished) or nobody else can run;
 * picking it ends its wait as its time-out would (virtual time moves on to
 * its deadline). Offered at every point of a long run, as a yield, sleeping
 * workers would keep pace with a producer that natively fills their queue
 * long before their first sleep ends, and such a program would never
 * finish. When no thread is enabled only the earliest deadlines are
 * offered (time jumps there); threads away in real I/O (OUTSIDE) are waited
 * for; otherwise the run is deadlocked, which detect/hang.c reports as a
 * finding instead of hanging (as it does a run past max_steps). The only
 * concurrency inside the runtime is the hand-over itself and the queue of
 * threads returning from real I/O, both with atomics. The watchdog (watchdog.c)
 * and the log of decisions (decision_log.c) are beside it. */
#include "sched/fairness.h"
#include "detect/livelock.h"
#include "sched/kept_point.h"
#include "sched/scheduler.h"
#include "sched/strategy.h"
#include "detect/hang.h"
#include "detect/starvation.h"
#include "record/schedule.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

__thread rc_thread *rc_self __attribute__((tls_model("initial-exec")));

/* ---- threads coming back from real I/O ----
 * They push themselves on a lock-free stack and bump io_return_seq, which a
 * token holder with nothing to run sleeps on. When the token is idle
 * (every thread outside or finished) a returner takes it itself. */
static rc_thread *io_queue;
static volatile uint32_t io_return_seq;
static uint32_t token_idle;
static uint32_t n_outside; /* changed only by the token holder */
/* Token holders waiting for an I/O return (watchdog.c reads it). */
volatile uint64_t rc_waiting_for_io;

static void absorb_io_returns(void) {
  /* At every scheduling point: a plain load first, the exchange (a locked
   * instruction, tens of nanoseconds) only when someone returned. */
  if (RC_LIKELY(!__atomic_load_n(&io_queue, __ATOMIC_RELAXED)))
    return;
  rc_thread *t =
      __atomic_exchange_n(&io_queue, (rc_thread *)0, __ATOMIC_ACQUIRE);
  while (t) {
    rc_thread *next = rc_ext(t)->io_next;
    RC_CHECK(t->status == RC_THREAD_OUTSIDE);
    n_outside--;
    if (rc_ext(t)->gone) { /* its task ended while away (watchdog.c) */
      rc_thread_set_status(t, RC_THREAD_FINISHED);
      rc_unblock_all(t); /* joiners: the kernel cleared its tid word */
    } else {
      rc_thread_set_status(t, RC_THREAD_ENABLED);
    }
    t = next;
  }
}

/* Before the caller acts as the token holder: when the watchdog took the
 * token while it was in the kernel, come back first (see below). */
static inline void rc_token_hold(rc_thread *t) {
  if (RC_UNLIKELY(t && __atomic_load_n(&rc_ext(t)->away, __ATOMIC_ACQUIRE) >=
                           RC_AWAY_TAKING))
    rc_token_come_back(t);
}

/* ---- blocking ---- */
void rc_block_current_until(void *object, const rc_site *site,
                            uint64_t deadline_ns) {
  rc_thread *t = rc_self;
  rc_token_hold(t);
  RC_CHECK(t && g_rt.current == t);
  rc_thread_set_status(t, RC_THREAD_BLOCKED);
  rc_thread_set_wait_object(t, object);
  t->wait_site = site;
  t->timed_deadline_ns = deadline_ns;
  t->timed_out = false;
  rc_ext(t)->sig_wait = RC_SIG_WAIT_NONE;
}

void rc_block_current(void *object, const rc_site *site) {
  rc_block_current_until(object, site, 0);
}

/* Makes a blocked thread enabled again (its wait ended). */
static void release_thread(rc_thread *t) {
  rc_thread_set_status(t, RC_THREAD_ENABLED);
  rc_thread_set_wait_object(t, 0);
  t->timed_deadline_ns = 0;
}

/* A thread was released since the latest decision (choose). */
static bool released_since_choice;

void rc_unblock(rc_thread *t) {
  if (t->status != RC_THREAD_BLOCKED)
    return;
  release_thread(t);
  released_since_choice = true;
  /* Another thread's action released it: progress (livelock.c). */
  rc_livelock_progress();
  if (rc_self)
    rc_fair_note_release(rc_self->tid);
}

/* ---- the live threads ----
 * The tids of the threads not known to have finished, ascending: what the
 * scheduler's loops walk at every point, so that a point costs the same
 * after 10,000 short threads as after ten. Kept lazily by the token
 * holder: threads created since are appended, finished ones dropped, in
 * the order of g_rt.threads, so every loop sees the threads it saw before
 * in the same order (schedules and replays do not change). */
static rc_tid *live;
static uint32_t n_live, live_cap, live_seen;

static void live_refresh(void) {
  if (live_seen > g_rt.n_threads) /* the threads were reset */
    n_live = live_seen = 0;
  uint32_t kept = 0;
  for (uint32_t i = 0; i < n_live; i++)
    if (g_rt.threads[live[i]]->status != RC_THREAD_FINISHED)
      live[kept++] = live[i];
  n_live = kept;
  for (; live_seen < g_rt.n_threads; live_seen++) {
    if (n_live == live_cap) {
      uint32_t cap = live_cap ? 2 * live_cap : 64;
      live = rc_realloc(live, live_cap * sizeof *live, cap * sizeof *live);
      live_cap = cap;
    }
    if (g_rt.threads[live_seen]->status != RC_THREAD_FINISHED)
      live[n_live++] = live_seen;
  }
}

void rc_unblock_all(const void *object) {
  /* every unlock asks; mostly nobody waits for this object */
  if (g_rt.blocked_on[rc_wait_bucket(object)] == 0)
    return;
  /* Threads created since are appended; finished ones may stay in the
   * list (they are not blocked), in the same order. */
  if (RC_UNLIKELY(live_seen != g_rt.n_threads))
    live_refresh();
  for (uint32_t k = 0; k < n_live; k++) {
    rc_thread *t = g_rt.threads[live[k]];
    if (t->status == RC_THREAD_BLOCKED && t->wait_object == object)
      rc_unblock(t);
  }
}

/* ---- choosing the next thread ---- */
static rc_tid *enabled_buf;
static uint32_t enabled_cap;

/* Ends the timed wait of `t` because its time came (the strategy picked
 * it, or virtual time passed its deadline): no other thread released it (no
 * progress); a timed wait that times out is a failed attempt for fairness,
 * a sleep merely ends. A multiplexer's readiness wait moves no time: it
 * looks at its descriptors again and decides itself (rc_vtime_wait_ready). */
static void time_out(rc_thread *t) {
  if (!rc_vtime_is_ready_wait(t->wait_object) &&
      t->timed_deadline_ns > g_rt.virtual_time_ns)
    g_rt.virtual_time_ns = t->timed_deadline_ns;
  release_thread(t);
  t->timed_out = true;
  if (t->pending.kind != RC_OP_SLEEP)
    rc_fair_yield(t->tid);
}

/* The threads that may be picked, ascending in enabled_buf; returns how
 * many. One pass over the live threads, as every point pays it: a blocked
 * thread with a pending signal is enabled for its delivery
 * (sync/signals.c), blocked threads whose virtual deadline has passed time
 * out, finished threads leave the live list, and the candidates are
 * collected: the enabled ones and every thread waiting for time; with none
 * enabled, only the earliest deadlines (time jumps there, as natively the
 * first time-out comes first) and the readiness waits. `alive`: the live
 * threads; `n_enabled`: how many candidates are enabled. */
static uint32_t scan_candidates(uint32_t *n_enabled, uint32_t *alive,
                                uint64_t *next_deadline, bool early_wakes) {
  if (enabled_cap < g_rt.n_threads) {
    uint32_t cap = g_rt.threads_cap > 64 ? g_rt.threads_cap : 64;
    enabled_buf = rc_realloc(enabled_buf, enabled_cap * sizeof(rc_tid),
                             cap * sizeof(rc_tid));
    enabled_cap = cap;
  }
  uint64_t earliest = UINT64_MAX;
  uint32_t n = 0, enabled = 0, kept = 0;
  /* Locals, not reloaded after each store: what the loop calls (time_out,
   * rc_signals_wake_for_delivery) changes one thread's state, never the
   * live list or the thread table. */
  rc_thread *const *threads = g_rt.threads;
  rc_tid *lv = live, *buf = enabled_buf;
  for (uint32_t k = 0, end = n_live; k < end; k++) {
    rc_thread *t = threads[lv[k]];
    if (t->status == RC_THREAD_FINISHED)
      continue;
    lv[kept++] = lv[k];
    if (t->status == RC_THREAD_BLOCKED) {
      if (__atomic_load_n(&t->pending_signals, __ATOMIC_RELAXED))
        rc_signals_wake_for_delivery(t);
      else if (t->timed_deadline_ns != 0) {
        if (t->timed_deadline_ns <= g_rt.virtual_time_ns)
          time_out(t);
        else if (t->timed_deadline_ns < earliest)
          earliest = t->timed_deadline_ns;
      }
    }
    if (t->status == RC_THREAD_ENABLED) {
      enabled++;
      buf[n++] = t->tid;
    } else if (rc_thread_waits_for_time(t)) {
      buf[n++] = t->tid;
    }
  }
  n_live = kept;
  *alive = kept;
  *n_enabled = enabled;
  *next_deadline = earliest;
  /* Of the timed waits, the readiness waits (they decide themselves), and
   * the earliest deadlines where a wait may end before its time, or when
   * time must jump there: the next time-out natively is theirs, and ending
   * a later one first would move time past theirs too. */
  if (n > enabled) {
    bool offer_earliest = early_wakes || enabled == 0;
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++) {
      const rc_thread *t = g_rt.threads[enabled_buf[i]];
      if (t->status == RC_THREAD_ENABLED ||
          rc_vtime_is_ready_wait(t->wait_object) ||
          (offer_earliest && t->timed_deadline_ns == earliest))
        enabled_buf[m++] = enabled_buf[i];
    }
    n = m;
  }
  return n;
}

bool rc_sched_others_can_act(const rc_thread *self) {
  live_refresh();
  for (uint32_t k = 0; k < n_live; k++) {
    const rc_thread *t = g_rt.threads[live[k]];
    if (t != self && (t->status == RC_THREAD_ENABLED ||
                      (rc_thread_waits_for_time(t) &&
                       !rc_vtime_is_ready_wait(t->wait_object))))
      return true;
  }
  return false;
}

/* Waits (really) until some thread returns from I/O or `timeout_ns` passes. */
static void wait_for_io_return(uint64_t timeout_ns) {
  uint32_t seq = __atomic_load_n(&io_return_seq, __ATOMIC_ACQUIRE);
  if (__atomic_load_n(&io_queue, __ATOMIC_ACQUIRE))
    return;
  struct timespec ts = {(time_t)(timeout_ns / 1000000000u),
                        (long)(timeout_ns % 1000000000u)};
  __atomic_add_fetch(&rc_waiting_for_io, 1, __ATOMIC_RELAXED);
  rc_raw_syscall(SYS_futex, (long)&io_return_seq, FUTEX_WAIT_PRIVATE, seq,
                 timeout_ns == UINT64_MAX ? 0 : (long)&ts, 0, 0);
  __atomic_sub_fetch(&rc_waiting_for_io, 1, __ATOMIC_RELAXED);
}

/* The candidates of the latest pass, kept for the points after it while
 * nothing that pass looked at changes. The key is complete: the pass reads
 * each live thread's status, pending signals, wait object and deadline,
 * which only change through rc_thread_set_status or with rc_sched_changed
 * (g_rt.sched_generation), the thread table, which grows only by creating
 * a thread (a status set), and virtual time against the earliest deadline
 * of a timed wait, whose passing times that wait out. enabled_buf holds
 * them as the pass left them: only valid while the fair layer's filter
 * kept them all. */
static struct {
  bool valid;
  uint64_t generation;    /* g_rt.sched_generation before that pass */
  uint64_t next_deadline; /* earliest deadline among the timed waits */
  uint32_t n;             /* candidates (at least one of them enabled) */
  bool early_wakes;       /* the pass offered timed waits before their time */
} kept_pass;

/* Whether enabled_buf still holds the candidates a pass would collect now. */
static inline bool kept_pass_holds(bool early_wakes) {
  return kept_pass.valid && kept_pass.early_wakes == early_wakes &&
         __atomic_load_n(&g_rt.sched_generation, __ATOMIC_ACQUIRE) ==
             kept_pass.generation &&
         g_rt.virtual_time_ns < kept_pass.next_deadline &&
         live_seen == g_rt.n_threads;
}

/* The strategy's promise after its latest pick (rc_strategy.keeps_until):
 * below this step, a point where the running thread may go on and released
 * nothing keeps it without a pick. */
static uint64_t keep_until;

/* Whether a point of `kind` is never kept without a pick: the thread gives
 * the processor up (yield, spin wait, sleep), or the strategy reacts to
 * that kind (its asks_at). */
static inline bool picked_at_every_point(rc_op_kind kind) {
  return rc_op_is_voluntary_switch(kind) ||
         (g_rt.strategy && (g_rt.strategy->asks_at >> kind & 1));
}

/* The strategy's choice among the `n` candidates in enabled_buf; `again`:
 * they are the latest pass's (kept_pass_holds), filtered then already. */
static rc_thread *choose(rc_thread *self, uint32_t n, bool again) {
  rc_handoff_enabled_hint = n;
  /* The fair layer narrows the choice before the strategy makes it; for the
   * same candidates and a transition that did not yield it would keep them
   * all again (rc_fair_filter_again). */
  again = again &&
          rc_fair_filter_again(self->tid, self->pending.kind, n, g_rt.steps);
  /* The same candidates, all offered, `self` enabled among them: it may go
   * on unless its operation gives the processor up. What the strategy would
   * do is known; the rest of the point is as a pick of `self`. */
  if (again && g_rt.steps < keep_until && !released_since_choice &&
      self->status == RC_THREAD_ENABLED &&
      !picked_at_every_point(self->pending.kind)) {
    rc_switches_note_point(self);
    rc_fair_scheduled_again(self->tid, g_rt.steps);
    return self;
  }
  if (!again) {
    uint32_t filtered =
        rc_fair_filter(self->tid, self->pending.kind, enabled_buf, n,
                       g_rt.n_threads, g_rt.steps);
    if (filtered != n)
      kept_pass.valid = false; /* enabled_buf lost candidates */
    n = filtered;
  }
  rc_switches_note_point(self);
  rc_sched_point point = {self->tid,
                          enabled_buf,
                          n,
                          g_rt.steps,
                          (const rc_thread *const *)g_rt.threads,
                          g_rt.n_threads,
                          released_since_choice};
  released_since_choice = false;
  /* Before the schedule starts (rc_schedule_begin) only T0 exists. */
  rc_tid chosen = enabled_buf[0];
  keep_until = 0;
  if (g_rt.schedule_started) {
    chosen = g_rt.strategy->pick(g_rt.strategy, &point);
    if (g_rt.strategy->keeps_until)
      keep_until = g_rt.strategy->keeps_until(g_rt.strategy);
  }
  /* Strategies pick offered threads; the race-directed one may also run a
   * thread the fair layer withheld (see strategy_race_directed.c). */
  RC_CHECK(chosen < g_rt.n_threads &&
           (g_rt.threads[chosen]->status == RC_THREAD_ENABLED ||
            rc_thread_waits_for_time(g_rt.threads[chosen])));
  rc_thread *next = g_rt.threads[chosen];
  if (again)
    rc_fair_scheduled_again(chosen, g_rt.steps);
  else
    rc_fair_scheduled(chosen, g_rt.steps);
  if (n > 1) {
    rc_decision_log(next);
    if (chosen != self->tid) /* a kept thread is no switch to log */
      rc_switches_note_choice(self, chosen, rc_point_current_may_go_on(&point));
  }
  if (next->status == RC_THREAD_BLOCKED)
    time_out(next); /* its time came now */
  return next;
}

/* Whether `self` gives the processor up at this point of its own accord:
 * it yields, sleeps, spins (a failed attempt the fair layer counts as a
 * yield) or leaves. Only there are timed waits offered before their time
 * (see the top of this file); a thread that blocks waits for another that
 * can run, which natively runs before a time-out that is not due. */
static bool gives_way(const rc_thread *self, bool leaving) {
  return leaving || rc_op_is_voluntary_switch(self->pending.kind) ||
         rc_fair_transition_failed(self->tid);
}

/* Picks the next holder of the token. `leaving`: the caller cannot wait for
 * others (it finished or goes outside); returns null when nobody can run
 * until a thread comes back from I/O, or when every thread finished. */
static rc_thread *pick_next(rc_thread *self, bool leaving) {
  /* The first points of a run may end a sleep anywhere: a short run
   * explores time-outs against every step, as a loaded machine can delay
   * any thread by milliseconds. */
  bool early_wakes =
      gives_way(self, leaving) || g_rt.steps < g_rt.options.early_wake_steps;
  for (;;) {
    absorb_io_returns();
    if (RC_LIKELY(kept_pass_holds(early_wakes)))
      return choose(self, kept_pass.n, true);
    /* scan_candidates drops the finished threads itself */
    if (RC_UNLIKELY(live_seen != g_rt.n_threads))
      live_refresh();
    uint32_t n_enabled, alive;
    uint64_t next_deadline;
    /* Read before the pass: a change during it (a time-out, a signal)
     * makes the next point pass again. */
    uint64_t generation =
        __atomic_load_n(&g_rt.sched_generation, __ATOMIC_ACQUIRE);
    uint32_t n =
        scan_candidates(&n_enabled, &alive, &next_deadline, early_wakes);
    /* With none enabled the pass kept only the earliest deadlines. */
    kept_pass.valid = n_enabled > 0;
    kept_pass.early_wakes = early_wakes;
    kept_pass.generation = generation;
    kept_pass.next_deadline = next_deadline;
    kept_pass.n = n;
    if (n_enabled == 0 && n > 0 && n_outside > 0 && !leaving) {
      /* Real input decides; give it a moment before virtual time jumps. */
      wait_for_io_return(10000000u);
      if (__atomic_load_n(&io_queue, __ATOMIC_ACQUIRE))
        continue;
    }
    if (n > 0)
      return choose(self, n, false);
    if (alive == 0)
      return 0; /* the last thread finished: the process exits */
    if (n_outside > 0) {
      if (leaving)
        return 0;
      wait_for_io_return(UINT64_MAX);
      continue;
    }
    rc_report_deadlock(RC_RECORD_HEADLINE_NO_PROGRESS);
  }
}

/* A point the strategy promised to keep `t` at (keep_until), where nothing
 * a pass, the fair layer or the livelock detector looks at changed since the
 * latest point: it only counts. The same state results as from
 * rc_livelock_step, pick_next and choose, which would find the latest pass's
 * candidates, keep them whole and keep `t`; one test fails, and the point
 * takes that way. */
static inline bool kept_quietly(rc_thread *t, rc_op_kind kind) {
  if (g_rt.steps >= keep_until || released_since_choice ||
      picked_at_every_point(kind) || t->status != RC_THREAD_ENABLED ||
      __atomic_load_n(&io_queue, __ATOMIC_RELAXED) || !kept_pass_holds(false) ||
      !rc_livelock_step_idle(t, kind) ||
      !rc_fair_kept(t->tid, kind, kept_pass.n, g_rt.steps))
    return false;
  rc_handoff_enabled_hint = kept_pass.n;
  rc_switches_note_point(t);
  return true;
}

rc_kept_promise rc_kept;

/* After a point that kept `t`: whether the next points of `t` may be kept
 * by rc_schedule_kept, and until when. Its tests are those of kept_quietly
 * that only a change of g_rt.sched_generation can undo. */
static void promise_kept_points(rc_thread *t) {
  rc_kept.thread = 0;
  uint64_t generation =
      __atomic_load_n(&g_rt.sched_generation, __ATOMIC_ACQUIRE);
  if (g_rt.steps + 1 >= keep_until || !kept_pass.valid ||
      kept_pass.generation != generation || released_since_choice ||
      t->status != RC_THREAD_ENABLED || live_seen != g_rt.n_threads ||
      rc_handoff_enabled_hint != kept_pass.n || !rc_livelock_idle(t) ||
      !rc_fair_kept_slots_of(t->tid, &rc_kept.fair))
    return;
  uint64_t until = keep_until;
  uint64_t stop = g_rt.options.debug_stop_step, max = g_rt.options.max_steps;
  if (stop && stop < until)
    until = stop; /* that step's point calls __racecheck_debug_stop */
  if (max && max + 1 < until)
    until = max + 1; /* the point past max_steps reports the hang */
  rc_kept.generation = generation;
  rc_kept.until = until;
  rc_kept.next_deadline = kept_pass.next_deadline;
  rc_kept.ask_kinds = g_rt.strategy ? g_rt.strategy->asks_at : 0;
  rc_kept.thread = t;
}

static void deliver_signals(rc_thread *t) {
  if (RC_LIKELY(!t->pending_signals &&
                rc_ext(t)->sig_wait != RC_SIG_WAIT_WOKEN) ||
      t->status != RC_THREAD_ENABLED)
    return;
  rc_pending_op saved = t->pending;
  rc_signals_deliver_pending(t);
  t->pending = saved;
}

void rc_schedule(rc_op_kind kind, const void *object, const rc_site *site) {
  rc_thread *t = rc_self;
  if (RC_UNLIKELY(!t || g_rt.finalized))
    return;
  if (RC_LIKELY(rc_schedule_kept(t, kind, object, site)))
    return;
  rc_kept.thread = 0; /* whatever this point does, it decides anew */
  rc_token_hold(t);
  RC_CHECK(g_rt.current == t);
  rc_starvation_settle();
  deliver_signals(t);
  t->pending.kind = kind;
  t->pending.object = object;
  t->pending.site = site;
  g_rt.steps++;
  g_rt.virtual_time_ns += g_rt.options.step_ns;
  if (RC_UNLIKELY(g_rt.steps == g_rt.options.debug_stop_step))
    __racecheck_debug_stop();
  rc_hang_note_step(site ? site : t->last_site);
  if (RC_UNLIKELY(g_rt.options.max_steps &&
                  g_rt.steps > g_rt.options.max_steps))
    rc_report_step_budget_hang(t);
  if (RC_LIKELY(kept_quietly(t, kind))) {
    deliver_signals(t);
    promise_kept_points(t); /* after any handler: the state it leaves */
    return;
  }
  rc_livelock_step(t, kind, object, site);
  rc_thread *next = pick_next(t, false);
  if (next != t) {
    /* read while holding the token: after unpark another thread may
     * release it */
    bool blocked =
        t->status == RC_THREAD_BLOCKED && !rc_thread_waits_for_time(t);
    g_rt.switches++;
    g_rt.current = next;
    rc_unpark(next);
    rc_park(t, blocked);
    RC_CHECK(g_rt.current == t && t->status == RC_THREAD_ENABLED);
  }
  deliver_signals(t); /* also when a waiter woken for it picked itself */
  if (next == t)
    promise_kept_points(t);
  /* pending stays: it is the thread's latest visible operation, which
   * deadlock and crash reports name. */
}

/* Hands the token on for good for `t` (it finished or is outside);
 * `holder` is who g_rt.current names while this looks for a returner to
 * hand it to: `t` itself, or nobody when the watchdog acts for `t`. */
static void leave_token(rc_thread *t, rc_thread *holder) {
  rc_kept.thread = 0;
  if (t->status == RC_THREAD_OUTSIDE)
    n_outside++;
  rc_livelock_progress(); /* a thread finished, or real I/O takes part */
  g_rt.steps++;
  g_rt.virtual_time_ns += g_rt.options.step_ns;
  for (;;) {
    rc_thread *next = pick_next(t, true);
    if (next) {
      g_rt.switches++;
      g_rt.current = next;
      rc_unpark(next);
      return;
    }
    bool any_alive = false;
    live_refresh();
    for (uint32_t k = 0; k < n_live && !any_alive; k++)
      any_alive = g_rt.threads[live[k]]->status != RC_THREAD_FINISHED;
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
      return;              /* the returner took it */
    g_rt.current = holder; /* hold it again just to hand it to the returner */
  }
}

void rc_schedule_leave(void) {
  rc_thread *t = rc_self;
  rc_token_hold(t);
  RC_CHECK(t && g_rt.current == t);
  RC_CHECK(t->status == RC_THREAD_FINISHED || t->status == RC_THREAD_OUTSIDE);
  leave_token(t, t);
}

/* Publishes `t` on the queue of returners and wakes a holder waiting for
 * one. */
static void queue_return(rc_thread *t) {
  rc_thread *head = __atomic_load_n(&io_queue, __ATOMIC_RELAXED);
  do {
    rc_ext(t)->io_next = head;
  } while (!__atomic_compare_exchange_n(&io_queue, &head, t, true,
                                        __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
  __atomic_add_fetch(&io_return_seq, 1, __ATOMIC_SEQ_CST);
  rc_sched_changed(); /* the holder's next point absorbs it */
  rc_futex_wake(&io_return_seq, 1);
}

void rc_schedule_return(rc_thread *t) {
  queue_return(t);
  uint32_t expected = 1;
  if (__atomic_compare_exchange_n(&token_idle, &expected, 0, false,
                                  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    g_rt.current = t;
    absorb_io_returns();
    rc_schedule(RC_OP_IO_RETURN, 0, t->last_site);
    return;
  }
  rc_park(t, false);
  RC_CHECK(g_rt.current == t && t->status == RC_THREAD_ENABLED);
  /* A handler that interrupted the real call runs before it returns. */
  deliver_signals(t);
}

void rc_wait_for_token(rc_thread *t) {
  rc_affinity_thread_start(t);
  rc_ext(t)->call_site_slot = &__racecheck_call_site;
  __atomic_store_n(&rc_ext(t)->kernel_tid,
                   (int32_t)rc_raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0),
                   __ATOMIC_RELEASE);
  rc_park(t, false);
  RC_CHECK(g_rt.current == t && t->status == RC_THREAD_ENABLED);
}

/* ---- the token taken from a thread blocked in the kernel ----
 * A token holder blocked in a system call no interceptor sees (libc's own
 * read under getline, a raw syscall, a library built without racecheck)
 * would keep every other thread waiting. The watchdog (watchdog.c) then
 * takes the token on its behalf: the thread becomes OUTSIDE, as in real
 * I/O, and the others go on. The thread itself learns it at its next entry
 * into the runtime (a scheduling point, an interceptor, an instrumented
 * access: rc_token_hold, rc_active_thread, rc_token_not_held) and comes
 * back through the queue of I/O returners. Its `away` word is the
 * hand-shake: the watchdog commits with a CAS to TAKING, updates the
 * state, then stores TAKEN; the thread waits out TAKING. */
void rc_token_come_back(rc_thread *t) {
  uint32_t *away = &rc_ext(t)->away;
  while (__atomic_load_n(away, __ATOMIC_ACQUIRE) == RC_AWAY_TAKING)
    rc_raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
  uint32_t expected = RC_AWAY_TAKEN;
  if (!__atomic_compare_exchange_n(away, &expected, RC_AWAY_NO, false,
                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    return; /* not taken after all (the watchdog gave up) */
  int saved = errno;
  rc_schedule_return(t);
  errno = saved;
}

rc_thread *rc_token_not_held(void) {
  rc_thread *t = rc_self;
  if (!t || g_rt.finalized ||
      __atomic_load_n(&rc_ext(t)->away, __ATOMIC_ACQUIRE) < RC_AWAY_TAKING)
    return 0;
  rc_token_come_back(t);
  return g_rt.current == t ? t : 0;
}

void rc_schedule_take_token(rc_thread *t, bool gone) {
  uint32_t *away = &rc_ext(t)->away;
  RC_CHECK(__atomic_load_n(away, __ATOMIC_ACQUIRE) == RC_AWAY_TAKING);
  if (gone) {
    rc_thread_set_status(t, RC_THREAD_FINISHED);
    rc_unblock_all(t); /* joiners: the kernel cleared its tid word */
  } else {
    /* Its visible operation now: the call it blocks in (reports). */
    const rc_site *const *slot = rc_ext(t)->call_site_slot;
    const rc_site *call = slot ? __atomic_load_n(slot, __ATOMIC_RELAXED) : 0;
    t->pending.kind = RC_OP_SYSCALL;
    t->pending.object = 0;
    t->pending.site = call ? call : t->last_site;
    rc_thread_set_status(t, RC_THREAD_OUTSIDE);
    g_rt.io_leaves++;
  }
  /* From here `t` may queue itself to come back: it is OUTSIDE. */
  __atomic_store_n(away, RC_AWAY_TAKEN, __ATOMIC_RELEASE);
  leave_token(t, 0);
}

void rc_schedule_return_gone(rc_thread *t) {
  rc_ext(t)->gone = true;
  queue_return(t);
  /* The token idle, nobody would absorb it: take the token and hand it on
   * (a joiner may be waiting for `t`). */
  uint32_t expected = 1;
  if (__atomic_compare_exchange_n(&token_idle, &expected, 0, false,
                                  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    absorb_io_returns();
    leave_token(t, 0);
  }
}

void rc_syscall_enter(rc_thread *t) {
  __atomic_store_n(&rc_ext(t)->away, RC_AWAY_IN_SYSCALL, __ATOMIC_RELEASE);
}

void rc_syscall_exit(rc_thread *t) {
  uint32_t expected = RC_AWAY_IN_SYSCALL;
  if (__atomic_compare_exchange_n(&rc_ext(t)->away, &expected, RC_AWAY_NO,
                                  false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    return; /* it kept the token */
  rc_token_come_back(t);
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
  /* Between two instrumented accesses: where asynchronous cancellation
   * acts (sync/cancel.c). */
  if (RC_UNLIKELY(rc_ext(t)->cancel_async))
    rc_cancel_point(t);
}
