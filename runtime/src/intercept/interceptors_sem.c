/* interceptors_sem.c — POSIX unnamed and named semaphores: each call
 * forwards to libc when the runtime does not model the caller, else to the
 * semaphore model (sync/semaphore.c). */
#include "intercept/memory_effects.h"
#include "sync/models.h"

#include <errno.h>
#include <semaphore.h>

static int (*real_sem_init)(sem_t *, int, unsigned);
static int (*real_sem_destroy)(sem_t *);
static int (*real_sem_wait)(sem_t *);
static int (*real_sem_trywait)(sem_t *);
static int (*real_sem_timedwait)(sem_t *, const struct timespec *);
static int (*real_sem_clockwait)(sem_t *, clockid_t, const struct timespec *);
static int (*real_sem_post)(sem_t *);
static int (*real_sem_getvalue)(sem_t *, int *);

static rc_sem *sem_object(sem_t *sem, const rc_site *site) {
  rc_sem *s = rc_sem_find(sem);
  if (s)
    return s;
  /* First use without sem_init (named or pre-initialised semaphore): start
   * from the value the real semaphore holds. */
  RC_REAL(real_sem_getvalue, "sem_getvalue");
  int value = 0;
  real_sem_getvalue(sem, &value);
  return rc_sem_create(sem, value, site);
}

/* The model's result as the sem_* calls return it. */
static int sem_result(int error) {
  if (error == 0)
    return 0;
  errno = error;
  return -1;
}

RC_INTERCEPT int sem_init(sem_t *sem, int pshared, unsigned value) {
  RC_REAL(real_sem_init, "sem_init");
  int ret = real_sem_init(sem, pshared, value);
  if (ret == 0 && rc_active_thread()) {
    rc_sync_destroy(sem);
    rc_libc_write_range(sem, sizeof(sem_t), rc_caller_site());
    rc_sem_create(sem, value, rc_caller_site());
  }
  return ret;
}

RC_INTERCEPT int sem_destroy(sem_t *sem) {
  RC_REAL(real_sem_destroy, "sem_destroy");
  if (rc_active_thread())
    rc_sync_destroy(sem);
  rc_libc_write_range(sem, sizeof(sem_t), rc_caller_site());
  return real_sem_destroy(sem);
}

RC_INTERCEPT int sem_wait(sem_t *sem) {
  RC_REAL(real_sem_wait, "sem_wait");
  if (!rc_active_thread())
    return real_sem_wait(sem);
  const rc_site *site = rc_caller_site();
  return sem_result(rc_sem_wait(sem_object(sem, site), 0, EAGAIN, site));
}

RC_INTERCEPT int sem_trywait(sem_t *sem) {
  RC_REAL(real_sem_trywait, "sem_trywait");
  if (!rc_active_thread())
    return real_sem_trywait(sem);
  const rc_site *site = rc_caller_site();
  return sem_result(rc_sem_wait(sem_object(sem, site), 1, EAGAIN, site));
}

RC_INTERCEPT int sem_timedwait(sem_t *sem, const struct timespec *abstime) {
  RC_REAL(real_sem_timedwait, "sem_timedwait");
  if (!rc_active_thread())
    return real_sem_timedwait(sem, abstime);
  if (rc_abstime_error(CLOCK_REALTIME, abstime))
    return sem_result(EINVAL); /* glibc checks even when it need not wait */
  uint64_t deadline = rc_vtime_try_deadline(CLOCK_REALTIME, abstime);
  const rc_site *site = rc_caller_site();
  return sem_result(
      rc_sem_wait(sem_object(sem, site), deadline, ETIMEDOUT, site));
}

RC_INTERCEPT int sem_clockwait(sem_t *sem, clockid_t clock,
                               const struct timespec *abstime) {
  RC_REAL(real_sem_clockwait, "sem_clockwait");
  if (!rc_active_thread())
    return real_sem_clockwait(sem, clock, abstime);
  if (rc_abstime_error(clock, abstime))
    return sem_result(EINVAL);
  uint64_t deadline = rc_vtime_try_deadline(clock, abstime);
  const rc_site *site = rc_caller_site();
  return sem_result(
      rc_sem_wait(sem_object(sem, site), deadline, ETIMEDOUT, site));
}

RC_INTERCEPT int sem_post(sem_t *sem) {
  RC_REAL(real_sem_post, "sem_post");
  if (!rc_active_thread())
    return real_sem_post(sem);
  const rc_site *site = rc_caller_site();
  return sem_result(rc_sem_post(sem_object(sem, site), site));
}

RC_INTERCEPT int sem_getvalue(sem_t *sem, int *value) {
  RC_REAL(real_sem_getvalue, "sem_getvalue");
  if (!rc_active_thread())
    return real_sem_getvalue(sem, value);
  rc_libc_read_range(sem, sizeof(sem_t), rc_caller_site());
  *value = (int)sem_object(sem, rc_caller_site())->value;
  return 0;
}
