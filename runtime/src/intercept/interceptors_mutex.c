/* interceptors_mutex.c — pthread mutexes and spinlocks: each call forwards
 * to libc when the runtime does not model the caller, else to the mutex
 * model (sync/mutex.c).
 *
 * The mutex type comes from glibc's own pthread_mutex_t (__data.__kind),
 * which pthread_mutex_init and the static initialisers set, so
 * PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP works without an init call. */
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

static rc_mutex_type mutex_type(pthread_mutex_t *m) {
  enum { GLIBC_MUTEX_ADAPTIVE = 3 };
  int kind = m->__data.__kind & 3;
  return kind == GLIBC_MUTEX_ADAPTIVE ? RC_MUTEX_NORMAL : (rc_mutex_type)kind;
}

/* ---- mutexes ---- */
RC_INTERCEPT int pthread_mutex_init(pthread_mutex_t *m,
                                    const pthread_mutexattr_t *attr) {
  RC_REAL(real_mutex_init, "pthread_mutex_init");
  int ret = real_mutex_init(m, attr); /* glibc records the type in m */
  if (ret == 0 && rc_active_thread())
    rc_mutex_init(m, mutex_type(m), rc_caller_site());
  return ret;
}

RC_INTERCEPT int pthread_mutex_destroy(pthread_mutex_t *m) {
  RC_REAL(real_mutex_destroy, "pthread_mutex_destroy");
  if (rc_active_thread() && rc_mutex_destroy(m) == EBUSY)
    return EBUSY;
  return real_mutex_destroy(m);
}

RC_INTERCEPT int pthread_mutex_lock(pthread_mutex_t *m) {
  RC_REAL(real_mutex_lock, "pthread_mutex_lock");
  if (!rc_active_thread())
    return real_mutex_lock(m);
  return rc_mutex_lock(m, mutex_type(m), 0, EBUSY, rc_caller_site());
}

RC_INTERCEPT int pthread_mutex_trylock(pthread_mutex_t *m) {
  RC_REAL(real_mutex_trylock, "pthread_mutex_trylock");
  if (!rc_active_thread())
    return real_mutex_trylock(m);
  return rc_mutex_lock(m, mutex_type(m), 1, EBUSY, rc_caller_site());
}

RC_INTERCEPT int pthread_mutex_timedlock(pthread_mutex_t *m,
                                         const struct timespec *abstime) {
  RC_REAL(real_mutex_timedlock, "pthread_mutex_timedlock");
  if (!rc_active_thread())
    return real_mutex_timedlock(m, abstime);
  return rc_mutex_lock(m, mutex_type(m),
                       rc_vtime_try_deadline(CLOCK_REALTIME, abstime),
                       ETIMEDOUT, rc_caller_site());
}

RC_INTERCEPT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock,
                                         const struct timespec *abstime) {
  RC_REAL(real_mutex_clocklock, "pthread_mutex_clocklock");
  if (!rc_active_thread())
    return real_mutex_clocklock(m, clock, abstime);
  return rc_mutex_lock(m, mutex_type(m), rc_vtime_try_deadline(clock, abstime),
                       ETIMEDOUT, rc_caller_site());
}

RC_INTERCEPT int pthread_mutex_unlock(pthread_mutex_t *m) {
  RC_REAL(real_mutex_unlock, "pthread_mutex_unlock");
  if (!rc_active_thread())
    return real_mutex_unlock(m);
  return rc_mutex_unlock(m, rc_caller_site());
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
  return rc_mutex_unlock((void *)lock, rc_caller_site());
}
