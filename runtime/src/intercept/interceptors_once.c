/* interceptors_once.c — pthread_once and the Itanium C++ ABI's guards of
 * function-local statics (__cxa_guard_*): each call forwards to libc or
 * libstdc++ when the runtime does not model the caller, else to the
 * run-once models (sync/once.c). */
#include "sync/models.h"

#include <pthread.h>

#define GLIBC_ONCE_DONE 2 /* glibc's __PTHREAD_ONCE_DONE bit */

static int (*real_pthread_once)(pthread_once_t *, void (*)(void));

RC_INTERCEPT int pthread_once(pthread_once_t *control, void (*init)(void)) {
  RC_REAL(real_pthread_once, "pthread_once");
  if (!rc_active_thread())
    return real_pthread_once(control, init);
  bool done_before = (*(volatile int *)control & GLIBC_ONCE_DONE) != 0;
  if (rc_once_run(control, done_before, init, rc_caller_site()))
    *(volatile int *)control = GLIBC_ONCE_DONE;
  return 0;
}

static int (*real_guard_acquire)(int64_t *);
static void (*real_guard_release)(int64_t *);
static void (*real_guard_abort)(int64_t *);

RC_INTERCEPT int __cxa_guard_acquire(int64_t *guard) {
  RC_REAL(real_guard_acquire, "__cxa_guard_acquire");
  if (!rc_active_thread())
    return real_guard_acquire(guard);
  return rc_guard_acquire(guard, rc_caller_site());
}

RC_INTERCEPT void __cxa_guard_release(int64_t *guard) {
  RC_REAL(real_guard_release, "__cxa_guard_release");
  rc_once *g = rc_active_thread() ? rc_guard_find(guard) : 0;
  if (!g) {
    real_guard_release(guard);
    return;
  }
  rc_guard_release(g);
}

RC_INTERCEPT void __cxa_guard_abort(int64_t *guard) {
  RC_REAL(real_guard_abort, "__cxa_guard_abort");
  rc_once *g = rc_active_thread() ? rc_guard_find(guard) : 0;
  if (!g) {
    real_guard_abort(guard);
    return;
  }
  rc_guard_abort(g);
}
