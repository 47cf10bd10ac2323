/* livelock.c — livelock detection under the fair scheduler, which keeps a
 * livelock from passing as mere unfairness of the schedule.
 *
 * Threads are livelocked when they keep running but none progresses: under
 * a fair schedule, the run enters a cycle in which the same sequence of
 * steps repeats. Each scheduling point is one step, hashed from the thread
 * that reached it, its operation and site, the locks it holds, the state of
 * the lock or semaphore it asks for (who owns it, how many readers or
 * permits), and whether the transition that ended there failed (a failed
 * trylock/trywait/compare-and-swap, an unchanged re-read of an atomic, a
 * timed-out wait, a spin-wait annotation: fairness.c). Plain memory is not
 * hashed: the values a retry loop writes itself (counters, back-off state)
 * change every round and would hide the cycle. The detector
 * (livelock_detector.c) finds when the latest steps repeat with a period p;
 * the cycle is a livelock when it repeated livelock_repeats times in a row
 * and
 *   - at least two threads take part, and every one of them fails at least
 *     once per period (they retry against each other; a loop of plain
 *     yields or of successful operations is work, not a livelock);
 *     a lone thread failing every period while every other thread is
 *     blocked without a time-out or finished is a `hang` (hang.c) once
 *     the cycle repeated spin_hang_repeats times: it spins on values no
 *     thread can change any more (a bounded spin, whose count lives in a
 *     register, looks the same while it lasts: hence the high bound); a
 *     lone thread polling plain memory makes no failing steps, so
 *     plain_spin.c watches its loads instead;
 *   - nothing progressed meanwhile: progress resets the detector — a thread
 *     created or exiting, a blocked thread released by another thread's
 *     action (not by a time-out), a spin wait ending because another thread
 *     changed the value, racecheck_progress(). A successful acquire outside
 *     the cycle changes the step sequence and so breaks the cycle by itself.
 * A forced preemption point counts as progress too: it means a thread ran
 * preempt_budget instrumented events without synchronising — it computes
 * (e.g. the thread the spinning ones wait for), which a loop of retried
 * synchronisation does not; a retry loop that computes that much per round
 * is not reported.
 *
 * The finding lists the events of one period in order (thread, operation,
 * site, object, stack, locks held) and counts repetitions, cycle_steps and
 * steps_before_cycle. Deterministic: hashes are of sites and objects of
 * this run (addresses are fixed, ASLR is off), steps and tids. */
#include "sched/fairness.h"
#include "detect/livelock.h"
#include "sched/scheduler.h"
#include "sched/strategy.h"
#include "core/finding_sink.h"
#include "detect/hang.h"
#include "detect/plain_spin.h"
#include "record/schedule.h"

#include <string.h>

typedef struct rc_livelock_event {
  rc_tid tid;
  rc_op_kind op;
  bool failed;
  const void *object;
  const rc_site *site;
  rc_stack_id stack;
  rc_lockset_id lockset;
  uint64_t step;
} rc_livelock_event;

static rc_cycle_detector detector;
static rc_livelock_event events[RC_CYCLE_RING]; /* by detector index */
/* A candidate cycle already judged not to be a livelock (one thread, or a
 * thread that never fails): not judged again while it lasts. */
static uint64_t rejected_candidate = UINT64_MAX;
static bool detector_ready;
/* A step failed since the latest progress. Until one does, no step can be
 * part of a livelock (every period of one has failures), so steps are not
 * fed: a run without failed attempts never touches the detector's 350 KiB
 * (40-odd page faults per served schedule otherwise). */
static bool feeding;
/* The scheduling step at which the current candidate's stretch begins. */
static uint64_t candidate_seen = UINT64_MAX;
static uint64_t candidate_start_step;

static bool is_lock_op(rc_op_kind kind) {
  return (kind >= RC_OP_MUTEX_LOCK && kind <= RC_OP_RWLOCK_UNLOCK) ||
         kind == RC_OP_SEM_WAIT || kind == RC_OP_SEM_TRYWAIT ||
         kind == RC_OP_SEM_POST;
}

static inline uint64_t mix(uint64_t h, uint64_t v) {
  return rc_hash64(h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2)));
}

/* The state of the lock a lock operation asks for: owner, readers,
 * permits. */
static uint64_t lock_state(const void *object) {
  rc_sync *s = rc_sync_find(object);
  if (!s)
    return 0;
  rc_thread *holder = rc_sync_owner(s);
  uint64_t owner = holder ? holder->tid + 1 : 0;
  return mix(mix(owner, rc_sync_readers(s)), (uint64_t)rc_sync_count(s));
}

void rc_livelock_progress(void) {
  if (feeding)
    rc_cycle_reset(&detector);
  feeding = false;
}

static void describe_object(const rc_livelock_event *e, rc_waiter *w) {
  if (!e->object)
    return;
  rc_sync *s = rc_sync_find(e->object);
  if (s && s->lock_id != UINT32_MAX) {
    rc_waiter_object_of_sync(w, s);
    return;
  }
  w->object = RC_RECORD_WAIT_ATOMIC;
  w->object_name = rc_global_name_copy(e->object);
}

__attribute__((noreturn)) static void report_livelock(uint64_t repetitions) {
  uint64_t p = rc_cycle_period(&detector);
  uint64_t last = detector.count - 1;
  uint64_t start = rc_cycle_stretch_start(&detector);
  /* One period, beginning where the cycle was first seen. */
  uint64_t first = last - p + 1 + (start % p + p - (last - p + 1) % p) % p;
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_LIVELOCK;
  f->waiters = rc_alloc(p * sizeof *f->waiters);
  for (uint64_t j = 0; j < p; j++) {
    uint64_t k = first + j > last ? first + j - p : first + j;
    const rc_livelock_event *e = &events[k & (RC_CYCLE_RING - 1)];
    rc_waiter *w = &f->waiters[f->n_waiters++];
    w->tid = e->tid;
    w->op = e->op;
    w->site = e->site;
    w->stack = e->stack;
    w->lockset = e->lockset;
    describe_object(e, w);
  }
  f->cause.set = true;
  f->cause.kind = RC_RECORD_CAUSE_LIVELOCK;
  f->cause.values[f->cause.n_values++] = p;
  f->cause.values[f->cause.n_values++] = repetitions;
  uint64_t steps_before = candidate_start_step ? candidate_start_step - 1 : 0;
  f->counts[f->n_counts++] = (rc_finding_count){"repetitions", repetitions};
  f->counts[f->n_counts++] = (rc_finding_count){"cycle_steps", p};
  f->counts[f->n_counts++] =
      (rc_finding_count){"steps_before_cycle", steps_before};
  rc_add_finding(f);
  rc_end_run(RC_END_LIVELOCK);
}

/* The site of the spinner's failed attempt in the latest period, for the
 * report. A step is marked failed when the operation of the step before it
 * (its re-read, trylock, compare-and-swap) failed: that one's site. */
static const rc_site *spin_site(uint64_t p) {
  uint64_t last = detector.count - 1;
  const rc_site *fallback = events[last & (RC_CYCLE_RING - 1)].site;
  for (uint64_t k = last - p + 1; k <= last; k++) {
    const rc_livelock_event *e = &events[k & (RC_CYCLE_RING - 1)];
    const rc_livelock_event *before = &events[(k - 1) & (RC_CYCLE_RING - 1)];
    if (!e->failed)
      continue;
    if (!rc_op_is_voluntary_switch(before->op))
      return before->site; /* the attempt that failed */
    fallback = e->site;
  }
  return fallback;
}

/* How the period of a repeating cycle is judged. */
typedef enum cycle_verdict {
  CYCLE_WORK,     /* a thread that never fails, or too many threads */
  CYCLE_LIVELOCK, /* two or more threads, each failing every period */
  CYCLE_SPINNER   /* one thread, failing every period */
} cycle_verdict;

/* Can another thread still act: run, time out, come back from real I/O,
 * take a pending signal? If none can, what the spinner waits for can change
 * only by the spinner itself or by a handler of a signal still to come from
 * outside (rc_report_spin_hang waits for one then). */
bool rc_livelock_others_can_act(rc_tid spinner) {
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    const rc_thread *t = g_rt.threads[i];
    if (t->tid == spinner || t->status == RC_THREAD_FINISHED)
      continue;
    if (t->status != RC_THREAD_BLOCKED || rc_thread_waits_for_time(t) ||
        __atomic_load_n(&t->pending_signals, __ATOMIC_RELAXED))
      return true;
  }
  return false;
}

/* Every thread of the period fails at least once: a livelock when there
 * are two, a spinner when there is one. */
static cycle_verdict judge_period(uint64_t p) {
  uint64_t last = detector.count - 1;
  rc_tid tids[16];
  bool failed[16];
  uint32_t n = 0;
  for (uint64_t k = last - p + 1; k <= last; k++) {
    const rc_livelock_event *e = &events[k & (RC_CYCLE_RING - 1)];
    uint32_t i = 0;
    while (i < n && tids[i] != e->tid)
      i++;
    if (i == n) {
      if (n == 16)
        return CYCLE_WORK; /* too many threads for a polite retry cycle */
      tids[n] = e->tid;
      failed[n++] = false;
    }
    failed[i] |= e->failed;
  }
  for (uint32_t i = 0; i < n; i++)
    if (!failed[i])
      return CYCLE_WORK;
  return n < 2 ? CYCLE_SPINNER : CYCLE_LIVELOCK;
}

bool rc_livelock_step_idle(const rc_thread *t, rc_op_kind kind) {
  if (!g_rt.options.fair || !g_rt.options.livelock_repeats)
    return true;
  /* below: a step that did not fail feeds nothing until one has failed;
   * a progress kind resets nothing while nothing is fed */
  return !feeding && kind != RC_OP_PREEMPT && kind != RC_OP_SPIN_WAIT &&
         rc_plain_spin_watched != t;
}

bool rc_livelock_idle(const rc_thread *t) {
  return rc_livelock_step_idle(t, RC_OP_NONE);
}

void rc_livelock_step(rc_thread *t, rc_op_kind kind, const void *object,
                      const rc_site *site) {
  if (!g_rt.options.fair || !g_rt.options.livelock_repeats)
    return;
  bool failed = kind == RC_OP_SPIN_WAIT || rc_fair_transition_failed(t->tid);
  /* Polling plain memory shows no failing steps here: plain_spin.c watches
   * the loads of a lone thread between its forced preemption points. */
  if (kind == RC_OP_PREEMPT || rc_plain_spin_watched == t)
    rc_plain_spin_point(t, kind, failed, rc_livelock_others_can_act(t->tid));
  if (kind == RC_OP_THREAD_CREATE || kind == RC_OP_THREAD_EXIT ||
      kind == RC_OP_THREAD_START || kind == RC_OP_NONE ||
      kind == RC_OP_PREEMPT) {
    rc_livelock_progress();
    return;
  }
  if (!feeding) {
    if (!failed)
      return;
    feeding = true;
    if (RC_UNLIKELY(!detector_ready)) {
      rc_cycle_init(&detector);
      detector_ready = true;
    }
  }
  uint64_t h = mix(mix(mix(t->tid + 1, kind), (uint64_t)(uintptr_t)site),
                   mix(t->lockset, failed));
  if (object && is_lock_op(kind))
    h = mix(mix(h, (uint64_t)(uintptr_t)object), lock_state(object));
  else if (object)
    h = mix(h, (uint64_t)(uintptr_t)object);
  rc_livelock_event *e = &events[detector.count & (RC_CYCLE_RING - 1)];
  e->tid = t->tid;
  e->op = kind;
  e->failed = failed;
  e->object = object;
  e->site = site ? site : t->last_site;
  e->stack = t->current_stack;
  e->lockset = t->lockset;
  e->step = g_rt.steps;
  uint64_t repetitions =
      rc_cycle_feed(&detector, h, g_rt.options.livelock_repeats);
  if (RC_UNLIKELY(detector.candidate_id != candidate_seen)) {
    candidate_seen = detector.candidate_id;
    uint64_t start = rc_cycle_stretch_start(&detector);
    candidate_start_step =
        rc_cycle_period(&detector) && start + RC_CYCLE_RING > detector.count - 1
            ? events[start & (RC_CYCLE_RING - 1)].step
            : 0;
  }
  if (RC_LIKELY(!repetitions) || detector.candidate_id == rejected_candidate)
    return;
  uint64_t p = rc_cycle_period(&detector);
  switch (judge_period(p)) {
  case CYCLE_LIVELOCK: report_livelock(repetitions);
  case CYCLE_SPINNER:
    /* While another thread can still act, it may yet write what the
     * spinner waits for: judged again at the next step, not rejected. */
    if (g_rt.options.spin_hang_repeats &&
        repetitions >= g_rt.options.spin_hang_repeats &&
        !rc_livelock_others_can_act(t->tid))
      rc_report_spin_hang(t, spin_site(p), p, repetitions);
    return;
  case CYCLE_WORK: rejected_candidate = detector.candidate_id; return;
  }
}
