/* livelock.h — livelock detection under the fair scheduler: the cycle
 * detector over step hashes (livelock_detector.c, pure, unit-tested) and the
 * runtime side that hashes scheduling steps, notes progress and reports the
 * finding (livelock.c). Private to the scheduling half of the runtime. */
#ifndef RACECHECK_LIVELOCK_H
#define RACECHECK_LIVELOCK_H

#include "core/runtime.h"

/* ---- livelock_detector.c: "do the last steps repeat a cycle?" ----
 * Incremental period detection on a stream of 64-bit step hashes. Each
 * step's window of the last RC_CYCLE_WINDOW hashes is fingerprinted with a
 * rolling polynomial hash; a table remembers where each fingerprint was last
 * seen, so the distance to it is the candidate period p, found in O(1) per
 * step. Consecutive steps with the same candidate extend the stretch known
 * to be p-periodic; once it spans `repeats` periods, the cycle is reported.
 * A window of W hashes pins the minimal period whenever p <= W/2 (Fine and
 * Wilf: two periods p < q of a stretch of length >= p + q - gcd(p, q) imply
 * the period gcd(p, q)); longer cycles, up to RC_CYCLE_RING steps, are
 * found as a (possibly non-minimal) period. */
#define RC_CYCLE_WINDOW 64
#define RC_CYCLE_RING 4096  /* power of two; longest reportable cycle */
#define RC_CYCLE_TABLE 8192 /* fingerprints remembered (2-way sets) */

typedef struct rc_cycle_detector {
  uint64_t ring[RC_CYCLE_RING]; /* step hashes by index & (RING-1) */
  struct {
    uint64_t fingerprint, index_plus_one;
  } table[RC_CYCLE_TABLE];
  uint64_t count;        /* hashes fed so far; the next one gets this index */
  uint64_t reset_index;  /* first index after the latest reset (progress) */
  uint64_t fingerprint;  /* of the window ending at count-1 */
  uint64_t period;       /* candidate p; 0: none */
  uint64_t run;          /* consecutive steps that confirmed p */
  uint64_t candidate_id; /* changes whenever a new candidate starts */
} rc_cycle_detector;

void rc_cycle_init(rc_cycle_detector *d);
/* Progress: forget the history; a cycle must repeat again from here. */
void rc_cycle_reset(rc_cycle_detector *d);
/* Feeds the hash of one step; returns the number of whole periods the
 * current periodic stretch spans when that reaches `repeats` (>= 2), else
 * 0. rc_cycle_period / rc_cycle_stretch_start then describe it. */
uint64_t rc_cycle_feed(rc_cycle_detector *d, uint64_t hash, uint64_t repeats);
static inline uint64_t rc_cycle_period(const rc_cycle_detector *d) {
  return d->period;
}
/* Index of the first step of the current periodic stretch (valid while
 * period != 0). */
uint64_t rc_cycle_stretch_start(const rc_cycle_detector *d);

/* ---- livelock.c: the runtime side ---- */
/* At every scheduling point (rc_schedule), before the pick: hashes the
 * step of `t` (thread, operation, site, the locks it holds, the state of
 * the lock it asks for, whether its transition failed) and ends the run
 * with a `livelock` finding when a failing cycle repeats livelock_repeats
 * times without progress. */
void rc_livelock_step(rc_thread *t, rc_op_kind kind, const void *object,
                      const rc_site *site);
/* Whether rc_livelock_step would change nothing for a step of `t` doing
 * `kind` whose transition did not fail (the scheduler's kept points). */
bool rc_livelock_step_idle(const rc_thread *t, rc_op_kind kind);
/* The same for every kind but a forced preemption and a spin wait, until
 * the next step that is not idle: the detector's state changes only at
 * such steps (and on progress, which only makes it idle). */
bool rc_livelock_idle(const rc_thread *t);
/* Something progressed (a thread was created or exited, a blocked thread
 * was released by another one, a spin wait ended, racecheck_progress()). */
void rc_livelock_progress(void);

#endif /* RACECHECK_LIVELOCK_H */
