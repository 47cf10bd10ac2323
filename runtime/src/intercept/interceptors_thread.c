/* interceptors_thread.c — thread lifecycle calls: pthread_create, the
 * joins (plain, try, timed, clock), detach, exit and cancellation (cancel,
 * testcancel, setcancelstate, setcanceltype), thread-specific data
 * keys, thread_local destructors (__cxa_thread_atexit_impl) and fork. Each
 * call forwards to libc when the runtime does not model the caller (or the
 * thread), else to the thread model (sync/thread.c). */
#include "sync/models.h"

#include <unistd.h>

static int (*real_pthread_create)(pthread_t *, const pthread_attr_t *,
                                  void *(*)(void *), void *);
static int (*real_pthread_join)(pthread_t, void **);
static int (*real_pthread_detach)(pthread_t);
static void (*real_pthread_exit)(void *) __attribute__((noreturn));
static int (*real_pthread_key_create)(pthread_key_t *, void (*)(void *));
static int (*real_pthread_key_delete)(pthread_key_t);
static int (*real_cxa_thread_atexit_impl)(void (*)(void *), void *, void *);
static pid_t (*real_fork)(void);

RC_INTERCEPT int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                                void *(*start_routine)(void *), void *arg) {
  RC_REAL(real_pthread_create, "pthread_create");
  if (!rc_active_thread())
    return real_pthread_create(thread, attr, start_routine, arg);
  int detach_state = PTHREAD_CREATE_JOINABLE;
  if (attr)
    pthread_attr_getdetachstate(attr, &detach_state);
  return rc_thread_create(thread, attr, detach_state == PTHREAD_CREATE_DETACHED,
                          start_routine, arg, real_pthread_create,
                          rc_caller_site());
}

/* deadline: as the model's (0 none, 1 try). The real join follows the
 * model's: the real thread has given up the token and is only unwinding
 * through glibc then, so it returns promptly and gives the return value. */
static int join(pthread_t thread, void **retval, uint64_t deadline) {
  RC_REAL(real_pthread_join, "pthread_join");
  rc_thread *target = rc_thread_of(thread);
  int err = target ? rc_thread_join(target, deadline, rc_caller_site()) : 0;
  if (err)
    return err;
  /* A thread slow to leave the kernel is not a thread blocked in it. */
  rc_thread *self = target ? rc_active_thread() : 0;
  if (self)
    rc_runtime_wait_begin(self);
  err = real_pthread_join(thread, retval);
  if (self)
    rc_runtime_wait_end(self);
  return err;
}

RC_INTERCEPT int pthread_join(pthread_t thread, void **retval) {
  return join(thread, retval, 0);
}

RC_INTERCEPT int pthread_tryjoin_np(pthread_t thread, void **retval) {
  return join(thread, retval, 1);
}

/* Without an abstime the join waits forever; an unmodelled caller's goes
 * to the real pthread_join. */
static int timed_join(pthread_t thread, void **retval, clockid_t clock,
                      const struct timespec *abstime) {
  if (!rc_active_thread() || !abstime)
    return join(thread, retval, 0);
  return join(thread, retval, rc_vtime_try_deadline(clock, abstime));
}

RC_INTERCEPT int pthread_timedjoin_np(pthread_t thread, void **retval,
                                      const struct timespec *abstime) {
  return timed_join(thread, retval, CLOCK_REALTIME, abstime);
}

RC_INTERCEPT int pthread_clockjoin_np(pthread_t thread, void **retval,
                                      clockid_t clock,
                                      const struct timespec *abstime) {
  return timed_join(thread, retval, clock, abstime);
}

RC_INTERCEPT int pthread_detach(pthread_t thread) {
  RC_REAL(real_pthread_detach, "pthread_detach");
  rc_thread *target = rc_thread_of(thread);
  if (target)
    rc_thread_detach(target);
  return real_pthread_detach(thread);
}

RC_INTERCEPT void pthread_exit(void *retval) {
  RC_REAL(real_pthread_exit, "pthread_exit");
  rc_thread *t = rc_active_thread();
  if (t)
    rc_thread_exit(t, retval);
  real_pthread_exit(retval);
}

/* Cancellation of a modelled thread is the model's (sync/cancel.c); the
 * state and type go to libc too, which reports the old values. */
static int (*real_pthread_cancel)(pthread_t);
static int (*real_pthread_setcancelstate)(int, int *);
static int (*real_pthread_setcanceltype)(int, int *);
static void (*real_pthread_testcancel)(void);

RC_INTERCEPT int pthread_cancel(pthread_t thread) {
  RC_REAL(real_pthread_cancel, "pthread_cancel");
  rc_thread *target = rc_thread_of(thread);
  if (!target) {
    rc_fork_server_before_real_cancel();
    return real_pthread_cancel(thread);
  }
  rc_cancel_request(target);
  return 0;
}

RC_INTERCEPT void pthread_testcancel(void) {
  RC_REAL(real_pthread_testcancel, "pthread_testcancel");
  rc_thread *t = rc_active_thread();
  if (!t)
    real_pthread_testcancel();
  else
    rc_cancel_point(t);
}

RC_INTERCEPT int pthread_setcancelstate(int state, int *old) {
  RC_REAL(real_pthread_setcancelstate, "pthread_setcancelstate");
  int ret = real_pthread_setcancelstate(state, old);
  rc_thread *t = rc_active_thread();
  if (ret == 0 && t)
    rc_cancel_set_state(t, state);
  return ret;
}

RC_INTERCEPT int pthread_setcanceltype(int type, int *old) {
  RC_REAL(real_pthread_setcanceltype, "pthread_setcanceltype");
  int ret = real_pthread_setcanceltype(type, old);
  rc_thread *t = rc_active_thread();
  if (ret == 0 && t)
    rc_cancel_set_type(t, type);
  return ret;
}

/* The real key has no destructor: the model runs it at thread end, while
 * the thread is scheduled (glibc would run it after, a second time). */
RC_INTERCEPT int pthread_key_create(pthread_key_t *key,
                                    void (*destructor)(void *)) {
  RC_REAL(real_pthread_key_create, "pthread_key_create");
  if (!g_rt.initialized)
    return real_pthread_key_create(key, destructor);
  int ret = real_pthread_key_create(key, 0);
  if (ret == 0)
    rc_thread_key_destructor(*key, destructor);
  return ret;
}

RC_INTERCEPT int pthread_key_delete(pthread_key_t key) {
  RC_REAL(real_pthread_key_delete, "pthread_key_delete");
  rc_thread_key_destructor(key, 0);
  return real_pthread_key_delete(key);
}

/* thread_local destructors (the C++ ABI's registration). The main thread's
 * go to glibc, which runs them at exit() in the right order, still under
 * the token; other threads' are kept by the model and run at thread end
 * while the thread is scheduled (glibc would run them after we gave up the
 * token). */
RC_INTERCEPT int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj,
                                          void *dso_symbol) {
  RC_REAL(real_cxa_thread_atexit_impl, "__cxa_thread_atexit_impl");
  rc_thread *t = rc_active_thread();
  if (!t || t->tid == 0)
    return real_cxa_thread_atexit_impl(fn, obj, dso_symbol);
  rc_thread_at_exit(t, fn, obj);
  return 0;
}

RC_INTERCEPT pid_t fork(void) {
  RC_REAL(real_fork, "fork");
  rc_thread *t = rc_active_thread();
  if (!t)
    return real_fork();
  pid_t pid = real_fork();
  rc_process_after_fork(pid);
  return pid;
}

/* A vfork child shares the parent's memory until it execs, and the exec
 * wrappers write the record before an exec: the runtime's state must not
 * be the parent's. As ThreadSanitizer does, a vfork is a fork. */
RC_INTERCEPT pid_t vfork(void) { return fork(); }
