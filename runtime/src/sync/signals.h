/* sync/signals.h — the signal model's entry points for the signal
 * interceptors (intercept/signals.c); the scheduler's are in
 * sched/scheduler.h (rc_signals_init, rc_signals_deliver_pending). */
#ifndef RACECHECK_SIGNALS_H
#define RACECHECK_SIGNALS_H

#include "core/runtime.h"

#include <pthread.h>
#include <signal.h>

/* Whether sigaction for `sig` goes through the model (after init; not for
 * SIGKILL, SIGSTOP or invalid numbers, which go straight to libc). */
bool rc_signals_modelled(int sig);
/* sigaction(2) as the program sees it: remembers the program's action and
 * installs what the runtime needs instead (a deferring stub for
 * asynchronous handlers, the crash handler for fatal defaults). */
int rc_signals_set_action(int sig, const struct sigaction *act,
                          struct sigaction *old);

/* pthread_kill(target, sig) through `real_kill`: once the kernel has
 * marked the signal pending on the target, the scheduler delivers it there
 * (at once for the caller itself). */
int rc_signals_kill_thread(rc_thread *target, int sig,
                           int (*real_kill)(pthread_t, int));

/* fault_location.c: a crash finding's trapping instruction and its module,
 * from the handler's signal context (nothing when unknown). */
void rc_fault_locate(rc_finding *f, const void *context);

#endif /* RACECHECK_SIGNALS_H */
