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
 *                          scheduling steps is not reported as a livelock.
 *
 * and, as TSan's dynamic annotations do:
 *   racecheck_benign_race(addr, size)   races on [addr, addr+size) are by
 *                          design (a statistics counter read approximately):
 *                          they are not reported, for the rest of the run.
 *   racecheck_ignore_reads_begin() / _end(), racecheck_ignore_writes_begin()
 *                          / _end()  the calling thread's plain reads
 *                          (writes) in between are neither checked nor
 *                          remembered; the calls nest. Atomics, locks and
 *                          other threads are unaffected.
 *   racecheck_happens_before(addr) / racecheck_happens_after(addr)
 *                          custom synchronisation racecheck cannot see
 *                          (a hand-written queue, a lock-free hand-off): what
 *                          a thread did before happens_before(a) happens
 *                          before what another does after a later
 *                          happens_after(a).
 *   racecheck_lock_name(lock, "name")   reports call the lock (mutex,
 *                          rwlock, semaphore... at `lock`) by this name. The
 *                          name is copied.
 *
 * Guard the calls with #ifdef __RACECHECK__ (`racecheck cc` defines it) in
 * code that must also build without racecheck. */
#ifndef RACECHECK_ANNOTATIONS_H
#define RACECHECK_ANNOTATIONS_H

#include "racecheck/interface.h"

static inline void racecheck_progress(void) { __racecheck_progress(); }
static inline void racecheck_spin_wait(void) { __racecheck_spin_wait(); }
static inline void racecheck_benign_race(const volatile void *addr,
                                         unsigned long size) {
  __racecheck_benign_race(addr, size);
}
static inline void racecheck_ignore_reads_begin(void) {
  __racecheck_ignore_reads_begin();
}
static inline void racecheck_ignore_reads_end(void) {
  __racecheck_ignore_reads_end();
}
static inline void racecheck_ignore_writes_begin(void) {
  __racecheck_ignore_writes_begin();
}
static inline void racecheck_ignore_writes_end(void) {
  __racecheck_ignore_writes_end();
}
static inline void racecheck_happens_before(const volatile void *addr) {
  __racecheck_happens_before(addr);
}
static inline void racecheck_happens_after(const volatile void *addr) {
  __racecheck_happens_after(addr);
}
static inline void racecheck_lock_name(const volatile void *lock,
                                       const char *name) {
  __racecheck_lock_name(lock, name);
}

#endif /* RACECHECK_ANNOTATIONS_H */
