/* sched/kept_point.h — a scheduling point that only counts, inline.
 *
 * When the strategy has promised to keep the running thread (its
 * keeps_until) and nothing a point looks at changed since the latest one,
 * a point keeps the thread: the step and the occurrence of its (operation,
 * site) are counted, its pending operation is declared, the fair layer's
 * three fields are written as rc_fair_kept would. scheduler.c prepares the
 * promise (rc_kept) at every point that kept a thread in that state and
 * takes the full way whenever one test here fails; the result is the same
 * state either way (the full way's rc_livelock_step, pass, filter and pick
 * would change nothing else). Any change of a thread's status, a pending
 * signal, a returner from real I/O, a fair-layer yield or a thread created
 * moves g_rt.sched_generation, which ends the promise. */
#ifndef RACECHECK_SCHED_KEPT_POINT_H
#define RACECHECK_SCHED_KEPT_POINT_H

#include "sched/scheduler.h"
#include "sched/fairness.h"
#include "detect/starvation.h"
#include "record/schedule.h"

typedef struct rc_kept_promise {
  rc_thread *thread;      /* the thread it keeps; null: no promise */
  uint64_t generation;    /* g_rt.sched_generation it holds for */
  uint64_t until;         /* points below this step (strategy, step limits) */
  uint64_t next_deadline; /* virtual time at which a timed wait expires */
  uint64_t ask_kinds;     /* the strategy's asks_at: never kept */
  rc_fair_kept_slots fair;
} rc_kept_promise;
extern rc_kept_promise rc_kept;

/* The entry of (op, site) in the per-thread cache of occurrence counters
 * (schedule_switches.c fills it), and its counter when it holds that key,
 * else null. */
static inline rc_point_count_entry *
rc_point_counter_slot(rc_thread *t, rc_op_kind op, const rc_site *site) {
  uintptr_t h = (uintptr_t)site ^ ((uintptr_t)site >> 9) ^ (uintptr_t)op;
  return &rc_ext(t)->point_counts.entries[h & (RC_POINT_COUNT_CACHE - 1)];
}
static inline uint64_t *rc_point_counter_cached(rc_thread *t, rc_op_kind op,
                                                const rc_site *site) {
  rc_point_count_entry *e = rc_point_counter_slot(t, op, site);
  return e->count && e->site == site && e->op == op ? e->count : 0;
}

/* rc_schedule(kind, object, site) for the running thread `t` when it is a
 * kept point under the promise: true when done, false (nothing changed)
 * when the full point must run. */
static inline bool rc_schedule_kept(rc_thread *t, rc_op_kind kind,
                                    const void *object, const rc_site *site) {
  if (t != rc_kept.thread ||
      __atomic_load_n(&g_rt.sched_generation, __ATOMIC_ACQUIRE) !=
          rc_kept.generation ||
      g_rt.steps + 1 >= rc_kept.until ||
      g_rt.virtual_time_ns >= rc_kept.next_deadline ||
      rc_op_is_voluntary_switch(kind) || kind == RC_OP_PREEMPT ||
      kind == RC_OP_NONE || (rc_kept.ask_kinds >> kind & 1) ||
      rc_starvation_rmw_pending ||
      __atomic_load_n(&t->pending_signals, __ATOMIC_RELAXED) ||
      rc_ext(t)->sig_wait == RC_SIG_WAIT_WOKEN ||
      __atomic_load_n(&rc_ext(t)->away, __ATOMIC_ACQUIRE) >= RC_AWAY_TAKING)
    return false;
  uint64_t *count = rc_point_counter_cached(t, kind, site);
  if (!count)
    return false;
  t->pending.kind = kind;
  t->pending.object = object;
  t->pending.site = site;
  uint64_t step = ++g_rt.steps;
  g_rt.virtual_time_ns += g_rt.options.step_ns;
  rc_hang_note_step(site ? site : t->last_site);
  ++*count;
  *rc_kept.fair.last_step = step;
  *rc_kept.fair.last_failed = 0;
  *rc_kept.fair.scheduled_step = step + 1;
  return true;
}

#endif /* RACECHECK_SCHED_KEPT_POINT_H */
