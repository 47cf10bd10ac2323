/* interceptors_cond.c — pthread condition variables: each call forwards to
 * libc when the runtime does not model the caller, else to the condition
 * variable model (sync/cond.c).
 *
 * glibc exports two versions of each pthread_cond_* symbol. Ours are
 * unversioned definitions in the executable, which the dynamic linker binds
 * for either version requested (libstdc++ asks for GLIBC_2.3.2). */
#include "sync/models.h"

#include <errno.h>
#include <pthread.h>

#define COND_VERSION "GLIBC_2.3.2"

static int (*real_cond_init)(pthread_cond_t *, const pthread_condattr_t *);
static int (*real_cond_destroy)(pthread_cond_t *);
static int (*real_cond_wait)(pthread_cond_t *, pthread_mutex_t *);
static int (*real_cond_timedwait)(pthread_cond_t *, pthread_mutex_t *,
                                  const struct timespec *);
static int (*real_cond_clockwait)(pthread_cond_t *, pthread_mutex_t *,
                                  clockid_t, const struct timespec *);
static int (*real_cond_signal)(pthread_cond_t *);
static int (*real_cond_broadcast)(pthread_cond_t *);

RC_INTERCEPT int pthread_cond_init(pthread_cond_t *c,
                                   const pthread_condattr_t *attr) {
  RC_REAL_VERSION(real_cond_init, "pthread_cond_init", COND_VERSION);
  int ret = real_cond_init(c, attr);
  if (ret == 0 && rc_active_thread())
    rc_cond_init(c, rc_caller_site());
  return ret;
}

RC_INTERCEPT int pthread_cond_destroy(pthread_cond_t *c) {
  RC_REAL_VERSION(real_cond_destroy, "pthread_cond_destroy", COND_VERSION);
  if (rc_active_thread())
    rc_cond_destroy(c); /* waits as glibc's does */
  return real_cond_destroy(c);
}

RC_INTERCEPT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) {
  RC_REAL_VERSION(real_cond_wait, "pthread_cond_wait", COND_VERSION);
  if (!rc_active_thread())
    return real_cond_wait(c, m);
  return rc_cond_wait(c, m, 0, rc_caller_site());
}

RC_INTERCEPT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                        const struct timespec *abstime) {
  RC_REAL_VERSION(real_cond_timedwait, "pthread_cond_timedwait", COND_VERSION);
  if (!rc_active_thread())
    return real_cond_timedwait(c, m, abstime);
  /* The clock is the condattr's, which glibc keeps in bit 1 of __wrefs
   * (0: CLOCK_REALTIME, 1: CLOCK_MONOTONIC). */
  clockid_t clock = (c->__data.__wrefs & 2) ? CLOCK_MONOTONIC : CLOCK_REALTIME;
  if (rc_abstime_error(clock, abstime))
    return EINVAL; /* glibc checks before it looks at the mutex */
  return rc_cond_wait(c, m, rc_vtime_try_deadline(clock, abstime),
                      rc_caller_site());
}

RC_INTERCEPT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m,
                                        clockid_t clock,
                                        const struct timespec *abstime) {
  RC_REAL(real_cond_clockwait, "pthread_cond_clockwait");
  if (!rc_active_thread())
    return real_cond_clockwait(c, m, clock, abstime);
  if (rc_abstime_error(clock, abstime))
    return EINVAL;
  return rc_cond_wait(c, m, rc_vtime_try_deadline(clock, abstime),
                      rc_caller_site());
}

RC_INTERCEPT int pthread_cond_signal(pthread_cond_t *c) {
  RC_REAL_VERSION(real_cond_signal, "pthread_cond_signal", COND_VERSION);
  if (!rc_active_thread())
    return real_cond_signal(c);
  rc_cond_wake(c, false, rc_caller_site());
  return 0;
}

RC_INTERCEPT int pthread_cond_broadcast(pthread_cond_t *c) {
  RC_REAL_VERSION(real_cond_broadcast, "pthread_cond_broadcast", COND_VERSION);
  if (!rc_active_thread())
    return real_cond_broadcast(c);
  rc_cond_wake(c, true, rc_caller_site());
  return 0;
}
