/* racecheck/annotations.h — annotations a program may call to help racecheck.
 * They are defined by the racecheck runtime (libracecheck_rt.a), so code
 * that must also build without racecheck should guard the calls.
 *
 *   racecheck_spin_wait()  inside a busy-wait loop on data racecheck cannot
 *                          see (uninstrumented code, volatile flags set by
 *                          hardware...): a scheduling point, so other threads
 *                          run and the wait can end.
 *   racecheck_progress()   where the program makes real progress racecheck
 *                          cannot see (the loop's own writes, which livelock
 *                          detection ignores, do move it forward): restarts
 *                          livelock detection, so a repeating cycle of
 *                          scheduling steps is not reported as a livelock. */
#ifndef RACECHECK_ANNOTATIONS_H
#define RACECHECK_ANNOTATIONS_H

#include "racecheck/interface.h"

static inline void racecheck_progress(void) { __racecheck_progress(); }
static inline void racecheck_spin_wait(void) { __racecheck_spin_wait(); }

#endif /* RACECHECK_ANNOTATIONS_H */
