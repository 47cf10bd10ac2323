/* annotations.c — the calls a program makes through
 * <racecheck/annotations.h> to tell the runtime what its spinning means. */
#include "detect/livelock.h"
#include "sched/scheduler.h"

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
