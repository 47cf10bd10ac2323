/* sync/misuse_checks.h — the questions the sync models ask before a call
 * the threads API may forbid: each looks at the model object and, on a
 * misuse, hands a `misuse` finding to detect/misuse.c. They change nothing
 * in the object: the model goes on and returns what glibc returns. */
#ifndef RACECHECK_SYNC_MISUSE_CHECKS_H
#define RACECHECK_SYNC_MISUSE_CHECKS_H

#include "detect/misuse.h"
#include "sync/objects.h"

/* An unlock (`op`) of the object at `addr`, `s` (null: one racecheck never
 * saw) that `t` does not hold when `not_held`: by no thread, or by another. */
void rc_check_unlock(rc_thread *t, rc_op_kind op, const void *addr,
                     const rc_sync *s, bool not_held, const rc_site *site);

/* A destroy (`reinit` false) or re-init of the object at `addr`: a misuse
 * while a thread holds it (mutex, rwlock) or waits on it (condition
 * variable, barrier). A re-init ends the old lock, so no thread holds that
 * one any more. Whether it is such a misuse: the call's write of the
 * object's bytes then is not checked as well, as the same bug would show
 * again as a race with the holders' and waiters' reads. */
bool rc_check_not_in_use(const void *addr, bool reinit, rc_op_kind op,
                         const rc_site *site);

/* A condition wait of `t` on `c` with `mutex`, which `t` holds when `held`
 * is not null; on success the wait is counted until
 * rc_check_cond_wait_end. */
void rc_check_cond_wait(rc_thread *t, rc_cond *c, const void *mutex,
                        const rc_mutex *held, const rc_site *site);
void rc_check_cond_wait_end(rc_cond *c);

/* A post of `s` by `t`: a misuse when it would pass SEM_VALUE_MAX. */
void rc_check_sem_post(rc_thread *t, const rc_sem *s, const rc_site *site);
/* pthread_barrier_init of the barrier at `addr` with `count`: 0 is a
 * misuse (glibc refuses it with EINVAL). */
void rc_check_barrier_count(const void *addr, unsigned count,
                            const rc_site *site);

#endif /* RACECHECK_SYNC_MISUSE_CHECKS_H */
