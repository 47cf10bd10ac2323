/* interceptors_mutex.c — pthread mutexes and spinlocks: each call forwards
 * to libc when the runtime does not model the caller, else to the mutex
 * model (sync/mutex.c).
 *
 * The mutex type comes from glibc's own pthread_mutex_t (__data.__kind),
 * which pthread_mutex_init and the static initialisers set, so
 * PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP works without an init call; a
 * kind glibc does not know (garbage, a destroyed mutex) fails with EINVAL
 * as in glibc. */
#include "intercept/memory_effects.h"
#include "sync/models.h"

#include <errno.h>
#include <pthread.h>

static int (*real_mutex_init)(pthread_mutex_t *, const pthread_mutexattr_t *);
static int (*real_mutex_destroy)(pthread_mutex_t *);
static int (*real_mutex_lock)(pthread_mutex_t *);
static int (*real_mutex_trylock)(pthread_mutex_t *);
static int (*real_mutex_unlock)(pthread_mutex_t *);
static int (*real_mutex_timedlock)(pthread_mutex_t *, const struct timespec *);
static int (*real_mutex_clocklock)(pthread_mutex_t *, clockid_t,
                                   const struct timespec *);

/* A timed lock. glibc checks the clock first but the time only when it
 * would wait: a bad time makes the request a try failing with EINVAL. */
static int timed_lock(pthread_mutex_t *m, clockid_t clock,
                      const struct timespec *abstime) {
  if (!rc_mutex_glibc_kind_valid(m) || !rc_clock_waitable(clock))
    return EINVAL;
  if (rc_abstime_error(clock, abstime))
    return rc_mutex_lock(m, rc_mutex_glibc_type(m), 1, EINVAL,
                         rc_caller_site());
  return rc_mutex_lock(m, rc_mutex_glibc_type(m),
                       rc_vtime_try_deadline(clock, abstime), ETIMEDOUT,
                       rc_caller_site());
}

/* ---- mutexes ---- */
RC_INTERCEPT int pthread_mutex_init(pthread_mutex_t *m,
                                    const pthread_mutexattr_t *attr) {
  RC_REAL(real_mutex_init, "pthread_mutex_init");
  int ret = real_mutex_init(m, attr); /* glibc records the type in m */
  if (ret == 0 && rc_active_thread())
    rc_mutex_init(m, rc_mutex_glibc_type(m), rc_caller_site());
  return ret;
}

RC_INTERCEPT int pthread_mutex_destroy(pthread_mutex_t *m) {
  RC_REAL(real_mutex_destroy, "pthread_mutex_destroy");
  int ret = real_mutex_destroy(m); /* it sees the model's holds */
  if (rc_active_thread())
    rc_mutex_destroy(m, ret == 0);
  return ret;
}

RC_INTERCEPT int pthread_mutex_lock(pthread_mutex_t *m) {
  RC_REAL(real_mutex_lock, "pthread_mutex_lock");
  if (!rc_active_thread())
    return real_mutex_lock(m);
  if (!rc_mutex_glibc_kind_valid(m))
    return EINVAL;
  return rc_mutex_lock(m, rc_mutex_glibc_type(m), 0, EBUSY, rc_caller_site());
}

RC_INTERCEPT int pthread_mutex_trylock(pthread_mutex_t *m) {
  RC_REAL(real_mutex_trylock, "pthread_mutex_trylock");
  if (!rc_active_thread())
    return real_mutex_trylock(m);
  if (!rc_mutex_glibc_kind_valid(m))
    return EINVAL;
  return rc_mutex_lock(m, rc_mutex_glibc_type(m), 1, EBUSY, rc_caller_site());
}

RC_INTERCEPT int pthread_mutex_timedlock(pthread_mutex_t *m,
                                         const struct timespec *abstime) {
  RC_REAL(real_mutex_timedlock, "pthread_mutex_timedlock");
  if (!rc_active_thread())
    return real_mutex_timedlock(m, abstime);
  return timed_lock(m, CLOCK_REALTIME, abstime);
}

RC_INTERCEPT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock,
                                         const struct timespec *abstime) {
  RC_REAL(real_mutex_clocklock, "pthread_mutex_clocklock");
  if (!rc_active_thread())
    return real_mutex_clocklock(m, clock, abstime);
  return timed_lock(m, clock, abstime);
}

RC_INTERCEPT int pthread_mutex_unlock(pthread_mutex_t *m) {
  RC_REAL(real_mutex_unlock, "pthread_mutex_unlock");
  if (!rc_active_thread())
    return real_mutex_unlock(m);
  if (!rc_mutex_glibc_kind_valid(m))
    return EINVAL;
  return rc_mutex_unlock(m, rc_mutex_glibc_type(m), rc_caller_site());
}

/* ---- spinlocks ---- */
static int (*real_spin_init)(pthread_spinlock_t *, int);
static int (*real_spin_lock)(pthread_spinlock_t *);
static int (*real_spin_trylock)(pthread_spinlock_t *);
static int (*real_spin_unlock)(pthread_spinlock_t *);

RC_INTERCEPT int pthread_spin_init(pthread_spinlock_t *lock, int pshared) {
  RC_REAL(real_spin_init, "pthread_spin_init");
  int ret = real_spin_init(lock, pshared);
  if (ret == 0 && rc_active_thread())
    rc_mutex_init((void *)lock, RC_MUTEX_SPIN, rc_caller_site());
  return ret;
}

RC_INTERCEPT int pthread_spin_destroy(pthread_spinlock_t *lock) {
  if (rc_active_thread())
    rc_sync_destroy((void *)lock);
  rc_libc_write_range((void *)lock, sizeof(*lock), rc_caller_site());
  return 0;
}

RC_INTERCEPT int pthread_spin_lock(pthread_spinlock_t *lock) {
  RC_REAL(real_spin_lock, "pthread_spin_lock");
  if (!rc_active_thread())
    return real_spin_lock(lock);
  return rc_mutex_lock((void *)lock, RC_MUTEX_SPIN, 0, EBUSY, rc_caller_site());
}

RC_INTERCEPT int pthread_spin_trylock(pthread_spinlock_t *lock) {
  RC_REAL(real_spin_trylock, "pthread_spin_trylock");
  if (!rc_active_thread())
    return real_spin_trylock(lock);
  return rc_mutex_lock((void *)lock, RC_MUTEX_SPIN, 1, EBUSY, rc_caller_site());
}

RC_INTERCEPT int pthread_spin_unlock(pthread_spinlock_t *lock) {
  RC_REAL(real_spin_unlock, "pthread_spin_unlock");
  if (!rc_active_thread())
    return real_spin_unlock(lock);
  return rc_mutex_unlock((void *)lock, RC_MUTEX_SPIN, rc_caller_site());
}
