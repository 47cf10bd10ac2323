/* annotations.c — the calls a program makes through
 * <racecheck/annotations.h> to tell the runtime what its spinning means,
 * which races are benign, which accesses to ignore, which custom
 * synchronisation orders its threads and what its locks are called. */
#include "detect/benign_races.h"
#include "detect/livelock.h"
#include "sched/scheduler.h"
#include "sync/objects.h"

RC_INTERFACE void __racecheck_progress(void) {
  /* A thread that marks progress is not spinning uselessly: it restarts
   * livelock detection. */
  if (rc_active_thread())
    rc_livelock_progress();
}

RC_INTERFACE void __racecheck_spin_wait(void) {
  rc_thread *t = rc_active_thread();
  if (t)
    rc_schedule(RC_OP_SPIN_WAIT, 0, rc_caller_site());
}

/* ---- what the program tells about its memory and synchronisation ---- */

RC_INTERFACE void __racecheck_benign_race(const volatile void *addr,
                                          unsigned long size) {
  if (rc_active_thread())
    rc_benign_race_add((uintptr_t)addr, size);
}

RC_INTERFACE void __racecheck_ignore_reads_begin(void) {
  rc_thread *t = rc_active_thread();
  if (t)
    t->ignore_reads++;
}

RC_INTERFACE void __racecheck_ignore_reads_end(void) {
  rc_thread *t = rc_active_thread();
  if (t && t->ignore_reads)
    t->ignore_reads--;
}

RC_INTERFACE void __racecheck_ignore_writes_begin(void) {
  rc_thread *t = rc_active_thread();
  if (t)
    t->ignore_writes++;
}

RC_INTERFACE void __racecheck_ignore_writes_end(void) {
  rc_thread *t = rc_active_thread();
  if (t && t->ignore_writes)
    t->ignore_writes--;
}

/* Custom synchronisation: a release on `addr`'s clock (the one atomics on
 * that address use), and an acquire of it. */
RC_INTERFACE void __racecheck_happens_before(const volatile void *addr) {
  rc_thread *t = rc_active_thread();
  if (t)
    rc_hb_release_join(t, rc_atomic_clock((const void *)addr));
}

RC_INTERFACE void __racecheck_happens_after(const volatile void *addr) {
  rc_thread *t = rc_active_thread();
  if (t)
    rc_hb_acquire(t, rc_atomic_clock((const void *)addr));
}

RC_INTERFACE void __racecheck_lock_name(const volatile void *lock,
                                        const char *name) {
  if (rc_active_thread() && name)
    rc_sync_name_lock((const void *)lock, name);
}
