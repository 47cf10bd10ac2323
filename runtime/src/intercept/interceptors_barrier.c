/* interceptors_barrier.c — pthread barriers: each call forwards to libc when
 * the runtime does not model the caller (or never saw the barrier's init),
 * else to the barrier model (sync/barrier.c). */
#include "sync/misuse_checks.h"
#include "sync/models.h"

#include <errno.h>
#include <pthread.h>

static int (*real_barrier_init)(pthread_barrier_t *,
                                const pthread_barrierattr_t *, unsigned);
static int (*real_barrier_wait)(pthread_barrier_t *);
static int (*real_barrier_destroy)(pthread_barrier_t *);

RC_INTERCEPT int pthread_barrier_init(pthread_barrier_t *b,
                                      const pthread_barrierattr_t *attr,
                                      unsigned count) {
  RC_REAL(real_barrier_init, "pthread_barrier_init");
  int ret = real_barrier_init(b, attr, count);
  if (ret == 0 && rc_active_thread())
    rc_barrier_init(b, count, rc_caller_site());
  else if (count == 0 && rc_active_thread())
    rc_check_barrier_count(b, count, rc_caller_site());
  return ret;
}

RC_INTERCEPT int pthread_barrier_destroy(pthread_barrier_t *b) {
  RC_REAL(real_barrier_destroy, "pthread_barrier_destroy");
  if (rc_active_thread())
    rc_barrier_destroy(b); /* waits as glibc's does */
  return real_barrier_destroy(b);
}

RC_INTERCEPT int pthread_barrier_wait(pthread_barrier_t *b) {
  RC_REAL(real_barrier_wait, "pthread_barrier_wait");
  rc_barrier *barrier = rc_active_thread() ? rc_barrier_find(b) : 0;
  if (!barrier)
    return real_barrier_wait(b);
  return rc_barrier_wait(barrier, rc_caller_site());
}
