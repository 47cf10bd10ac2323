/* interceptors_rwlock.c — pthread reader-writer locks: each call forwards
 * to libc when the runtime does not model the caller, else to the rwlock
 * model (sync/rwlock.c). The lock's preference is the attr kind glibc keeps
 * in the lock (__data.__flags). A timed lock checks its time-out first, as
 * glibc's. */
#include "sync/models.h"

#include <errno.h>
#include <pthread.h>

static int (*real_rwlock_init)(pthread_rwlock_t *,
                               const pthread_rwlockattr_t *);
static int (*real_rwlock_destroy)(pthread_rwlock_t *);
static int (*real_rwlock_unlock)(pthread_rwlock_t *);

#define PREF(rw) ((rw)->__data.__flags)

RC_INTERCEPT int pthread_rwlock_init(pthread_rwlock_t *rw,
                                     const pthread_rwlockattr_t *attr) {
  RC_REAL(real_rwlock_init, "pthread_rwlock_init");
  int ret = real_rwlock_init(rw, attr);
  if (ret == 0 && rc_active_thread())
    rc_rwlock_init(rw, PREF(rw), rc_caller_site());
  return ret;
}

RC_INTERCEPT int pthread_rwlock_destroy(pthread_rwlock_t *rw) {
  RC_REAL(real_rwlock_destroy, "pthread_rwlock_destroy");
  if (rc_active_thread())
    rc_rwlock_destroy(rw);
  return real_rwlock_destroy(rw);
}

#define RC_RWLOCK_FORWARD(var, name, ...)                                      \
  RC_REAL(var, name);                                                          \
  if (!rc_active_thread())                                                     \
    return var(__VA_ARGS__);

/* The lock, trylock, timedlock and clocklock calls of one mode (rd, wr):
 * they differ only in how long they may wait. */
#define RC_RWLOCK_MODE(mode, write)                                            \
  static int (*real_##mode##lock)(pthread_rwlock_t *);                         \
  static int (*real_try##mode##lock)(pthread_rwlock_t *);                      \
  static int (*real_timed##mode##lock)(pthread_rwlock_t *,                     \
                                       const struct timespec *);               \
  static int (*real_clock##mode##lock)(pthread_rwlock_t *, clockid_t,          \
                                       const struct timespec *);               \
  RC_INTERCEPT int pthread_rwlock_##mode##lock(pthread_rwlock_t *rw) {         \
    RC_RWLOCK_FORWARD(real_##mode##lock, "pthread_rwlock_" #mode "lock", rw);  \
    return rc_rwlock_lock(rw, PREF(rw), write, 0, EBUSY, rc_caller_site());    \
  }                                                                            \
  RC_INTERCEPT int pthread_rwlock_try##mode##lock(pthread_rwlock_t *rw) {      \
    RC_RWLOCK_FORWARD(real_try##mode##lock, "pthread_rwlock_try" #mode "lock", \
                      rw);                                                     \
    return rc_rwlock_lock(rw, PREF(rw), write, 1, EBUSY, rc_caller_site());    \
  }                                                                            \
  RC_INTERCEPT int pthread_rwlock_timed##mode##lock(                           \
      pthread_rwlock_t *rw, const struct timespec *abstime) {                  \
    RC_RWLOCK_FORWARD(real_timed##mode##lock,                                  \
                      "pthread_rwlock_timed" #mode "lock", rw, abstime);       \
    if (rc_abstime_error(CLOCK_REALTIME, abstime))                             \
      return EINVAL;                                                           \
    return rc_rwlock_lock(rw, PREF(rw), write,                                 \
                          rc_vtime_try_deadline(CLOCK_REALTIME, abstime),      \
                          ETIMEDOUT, rc_caller_site());                        \
  }                                                                            \
  RC_INTERCEPT int pthread_rwlock_clock##mode##lock(                           \
      pthread_rwlock_t *rw, clockid_t clock, const struct timespec *abstime) { \
    RC_RWLOCK_FORWARD(real_clock##mode##lock,                                  \
                      "pthread_rwlock_clock" #mode "lock", rw, clock,          \
                      abstime);                                                \
    if (rc_abstime_error(clock, abstime))                                      \
      return EINVAL;                                                           \
    return rc_rwlock_lock(rw, PREF(rw), write,                                 \
                          rc_vtime_try_deadline(clock, abstime), ETIMEDOUT,    \
                          rc_caller_site());                                   \
  }

RC_RWLOCK_MODE(rd, false)
RC_RWLOCK_MODE(wr, true)

RC_INTERCEPT int pthread_rwlock_unlock(pthread_rwlock_t *rw) {
  RC_RWLOCK_FORWARD(real_rwlock_unlock, "pthread_rwlock_unlock", rw);
  return rc_rwlock_unlock(rw, rc_caller_site());
}
