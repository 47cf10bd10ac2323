/* core/finding_sink.h — where detectors hand in what they found.
 *
 * A detector (shadow, deadlock/hang diagnosis, livelock, starvation, the
 * crash handler) adds
 * findings and, when the run cannot usefully go on (no thread can run, the
 * step budget is spent, a livelock repeats), asks for the run to end with a
 * reason. It never writes the record or exits itself: the top level (init.c)
 * registers the one handler that ends the run, so the detectors depend on
 * this sink only and not on finalisation, the record writer or the report
 * renderer. */
#ifndef RACECHECK_CORE_FINDING_SINK_H
#define RACECHECK_CORE_FINDING_SINK_H

#include "core/runtime.h"

/* rc_add_finding (core/runtime.h) keeps a finding for the record. */

/* Why a detector asks for the run to end now. */
typedef enum rc_end_reason {
  RC_END_DEADLOCK, /* no thread can make progress */
  RC_END_HANG,     /* step budget spent, or no scheduling point for long */
  RC_END_LIVELOCK, /* threads repeat a cycle without progress */
  RC_END_CRASH     /* a thread received a fatal signal */
} rc_end_reason;
const char *rc_end_reason_name(rc_end_reason reason);

/* Ends the run now, after the findings added so far: never returns. */
void rc_end_run(rc_end_reason reason) __attribute__((noreturn));
/* A fatal signal `sig` ends the run (crash handler, signals.c): the run's
 * findings are written, then this returns so that the caller dies of the
 * signal. */
void rc_end_run_by_signal(int sig);

/* The top level's way of ending a run: finalise, then exit unless
 * `exit_signal` is a fatal signal the caller dies of (then it returns). Set
 * once at start-up. */
typedef void (*rc_end_run_handler)(rc_end_reason reason, int exit_signal);
void rc_finding_sink_set_end_handler(rc_end_run_handler handler);

#endif /* RACECHECK_CORE_FINDING_SINK_H */
