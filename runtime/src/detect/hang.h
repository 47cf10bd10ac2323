/* detect/hang.h — diagnosis of runs that cannot end: a deadlock (no thread
 * can run), a thread spinning on values no one can change, a run past its
 * optional step budget (option max_steps), a thread the
 * watchdog saw without a scheduling point for too long, and a run whose
 * threads are all blocked in the kernel. Each builds a
 * finding naming what every thread waits for and asks the finding sink to
 * end the run (hang.c). The scheduler only detects the state. */
#ifndef RACECHECK_DETECT_HANG_H
#define RACECHECK_DETECT_HANG_H

#include "core/runtime.h"

/* The positions of the latest scheduling points, a ring indexed by step, so
 * that a step-budget hang can name the loop that burnt the steps. */
#define RC_RECENT_SITES 4096 /* power of two */
extern const rc_site *rc_recent_sites[RC_RECENT_SITES];

/* At every scheduling point, after g_rt.steps counted it. */
static inline void rc_hang_note_step(const rc_site *site) {
  rc_recent_sites[g_rt.steps & (RC_RECENT_SITES - 1)] = site;
}

/* Deadlock report: the state where no thread can run
 * (RC_RECORD_HEADLINE_NO_PROGRESS) or a thread waiting for itself. */
void rc_report_deadlock(enum rc_record_deadlock_headline headline)
    __attribute__((noreturn));
/* The run passed max_steps scheduling points; `current` reached the last. */
void rc_report_step_budget_hang(rc_thread *current) __attribute__((noreturn));
/* `spinner` repeats a cycle of `cycle_steps` steps (a failed attempt in each
 * period, at `site`) `repetitions` times without progress while every other
 * thread is blocked without a time-out or finished: it spins on values no
 * thread can change (livelock.c judges). Returns only when the program has
 * a handler for a signal from outside and one arrived (the spinner waited
 * for it; the watchdog reports the hang if none comes within its bound). */
void rc_report_spin_hang(rc_thread *spinner, const rc_site *site,
                         uint64_t cycle_steps, uint64_t repetitions);
/* A waiter's object: the lock, or the (futex) object with the variable at
 * its address. Detectors naming what a thread waits for share it. */
struct rc_sync;
void rc_waiter_object_of_sync(rc_waiter *w, const struct rc_sync *s);
/* Reports the hang the watchdog saw after `still_ms` without progress and
 * ends the run (returns only when the run already ended): the holder
 * spinning without scheduling points, or every thread stuck in the kernel
 * or waiting for one that is. */
/* How a run without progress hangs (watchdog.c judges, hang.c reports). */
typedef enum rc_hang_kind {
  RC_HANG_NONE,
  RC_HANG_SPINNING, /* the holder runs without a scheduling point */
  RC_HANG_STUCK     /* every thread is in the kernel or waits for one */
} rc_hang_kind;
void rc_watchdog_report_hang(uint64_t still_ms, rc_hang_kind kind);

#endif /* RACECHECK_DETECT_HANG_H */
