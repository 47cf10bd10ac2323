/* interceptors_thread.c — thread lifecycle under the scheduler:
 * pthread_create/join/detach/exit (and the try/timed joins), thread-specific
 * data destructors, thread_local destructors (__cxa_thread_atexit_impl) and
 * fork.
 *
 * A new thread starts in a trampoline that registers it, parks until the
 * scheduler picks it, then runs the start routine. Its end (normal return or
 * pthread_exit's forced unwind, reached through a cleanup attribute — the
 * runtime is built with -fexceptions) runs the destructors while still
 * scheduled, marks it FINISHED, hands the token on and returns to glibc
 * without touching runtime state again.
 *
 * Happens-before: creation copies the parent's clock into the child; join
 * acquires the child's final clock. */
#include "sched/scheduler.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
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

/* Destructors of pthread keys, run by us on thread exit (the real keys are
 * created without one so glibc does not run them a second time, outside
 * the serialized region). */
static void (*key_destructors[PTHREAD_KEYS_MAX])(void *);

static void run_key_destructors(void) {
  for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
    bool any = false;
    for (unsigned key = 0; key < PTHREAD_KEYS_MAX; key++) {
      void (*dtor)(void *) = key_destructors[key];
      if (!dtor)
        continue;
      void *value = pthread_getspecific(key);
      if (!value)
        continue;
      pthread_setspecific(key, 0);
      dtor(value);
      any = true;
    }
    if (!any)
      return;
  }
}

static void run_tls_destructors(rc_thread *t) {
  rc_thread_ext *ext = rc_ext(t);
  while (ext->tls_dtors) {
    rc_tls_dtor *d = ext->tls_dtors;
    ext->tls_dtors = d->next;
    d->fn(d->obj);
    rc_free(d, sizeof *d);
  }
}

/* Everything a thread does at its end while it still holds the token. */
static void finish_thread(rc_thread *t) {
  __racecheck_call_site = 0;
  run_tls_destructors(t);
  run_key_destructors();
  rc_schedule(RC_OP_THREAD_EXIT, 0, t->last_site);
  t->status = RC_THREAD_FINISHED;
  rc_unblock_all(t); /* joiners */
  rc_schedule_leave();
  rc_self = 0;
  rc_signals_thread_finish();
}

static void finish_on_unwind(rc_thread **t) {
  if (*t && rc_self == *t && !g_rt.finalized)
    finish_thread(*t);
}

static void *thread_trampoline(void *arg) {
  rc_thread *t = arg;
  rc_self = t;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void *addr;
    size_t size;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
      t->stack_lo = (uintptr_t)addr;
      t->stack_hi = (uintptr_t)addr + size;
    }
    pthread_attr_destroy(&attr);
  }
  rc_signals_thread_start();
  rc_wait_for_token(t);
  if (t->stack_hi > t->stack_lo)
  /* glibc reuses stacks (and the static TLS inside them): accesses of
   * an earlier thread there are unrelated to this one. */
  {
    rc_shadow_clear(t->stack_lo, t->stack_hi - t->stack_lo);
    rc_sync_free_range(t->stack_lo, t->stack_hi - t->stack_lo);
  }
  __racecheck_call_site = 0;
  __attribute__((cleanup(finish_on_unwind))) rc_thread *finisher = t;
  void *ret = t->start_routine(t->start_arg);
  t->retval = ret;
  return ret;
}

RC_INTERFACE int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                                void *(*start_routine)(void *), void *arg) {
  RC_REAL(real_pthread_create, "pthread_create");
  rc_thread *t = rc_active_thread();
  if (!t)
    return real_pthread_create(thread, attr, start_routine, arg);
  const rc_site *site = rc_caller_site();
  rc_schedule_begin(); /* a constructor's thread: the schedule starts now */
  rc_watchdog_start();
  rc_thread *child = rc_thread_new(t->tid);
  child->start_routine = start_routine;
  child->start_arg = arg;
  child->create_site = site;
  child->create_stack = t->current_stack;
  rc_vc_join(&child->vc, &t->vc);
  int detach_state = PTHREAD_CREATE_JOINABLE;
  if (attr)
    pthread_attr_getdetachstate(attr, &detach_state);
  child->detached = detach_state == PTHREAD_CREATE_DETACHED;
  int ret = real_pthread_create(thread, attr, thread_trampoline, child);
  if (ret != 0) {
    /* No such thread: drop the record we just added (it is the last). */
    g_rt.n_threads--;
    return ret;
  }
  rc_thread_tick(t);
  rc_fork_join_on_create(t, child);
  rc_ext(child)->pthread = (unsigned long)*thread;
  child->pthread_self = (uint64_t)*thread;
  child->status = RC_THREAD_ENABLED;
  rc_schedule(RC_OP_THREAD_CREATE, child, site);
  return 0;
}

/* The newest not yet joined thread with this pthread_t (glibc reuses them). */
static rc_thread *thread_by_pthread(pthread_t thread) {
  for (uint32_t i = g_rt.n_threads; i-- > 0;) {
    rc_thread *t = g_rt.threads[i];
    if (rc_ext(t)->pthread == (unsigned long)thread && !t->joined)
      return t;
  }
  return 0;
}

/* Waits (modelled) for `target` to finish; false on timeout. */
static bool wait_finished(rc_thread *self, rc_thread *target,
                          const rc_site *site, uint64_t deadline) {
  rc_schedule(RC_OP_THREAD_JOIN, target, site);
  while (target->status != RC_THREAD_FINISHED) {
    if (deadline == 1)
      return false; /* try-join */
    rc_block_current_until(target, site, deadline);
    rc_schedule(RC_OP_THREAD_JOIN, target, site);
    if (self->timed_out && target->status != RC_THREAD_FINISHED)
      return false;
  }
  rc_hb_acquire(self, &target->vc);
  rc_fork_join_on_join(self, target);
  return true;
}

/* deadline: 0 = none, 1 = do not wait at all, else a virtual deadline. */
static int join_common(pthread_t thread, void **retval, uint64_t deadline) {
  RC_REAL(real_pthread_join, "pthread_join");
  rc_thread *t = rc_active_thread();
  rc_thread *target = t ? thread_by_pthread(thread) : 0;
  if (!target)
    return real_pthread_join(thread, retval);
  if (target == t)
    return EDEADLK;
  if (target->detached)
    return EINVAL;
  if (!wait_finished(t, target, rc_caller_site(), deadline))
    return deadline == 1 ? EBUSY : ETIMEDOUT;
  target->joined = true;
  /* The real thread has given up the token and is only unwinding through
   * glibc now: this returns promptly. */
  return real_pthread_join(thread, retval);
}

RC_INTERFACE int pthread_join(pthread_t thread, void **retval) {
  return join_common(thread, retval, 0);
}

RC_INTERFACE int pthread_tryjoin_np(pthread_t thread, void **retval) {
  return join_common(thread, retval, 1);
}

RC_INTERFACE int pthread_timedjoin_np(pthread_t thread, void **retval,
                                      const struct timespec *abstime) {
  if (!rc_active_thread())
    return join_common(thread, retval, 0); /* forwards */
  uint64_t deadline = abstime ? rc_vtime_deadline(CLOCK_REALTIME, abstime) : 0;
  if (abstime && deadline == 0)
    deadline = 1;
  return join_common(thread, retval, deadline);
}

RC_INTERFACE int pthread_clockjoin_np(pthread_t thread, void **retval,
                                      clockid_t clock,
                                      const struct timespec *abstime) {
  if (!rc_active_thread())
    return join_common(thread, retval, 0);
  uint64_t deadline = abstime ? rc_vtime_deadline(clock, abstime) : 0;
  if (abstime && deadline == 0)
    deadline = 1;
  return join_common(thread, retval, deadline);
}

RC_INTERFACE int pthread_detach(pthread_t thread) {
  RC_REAL(real_pthread_detach, "pthread_detach");
  rc_thread *t = rc_active_thread();
  if (t) {
    rc_thread *target = thread_by_pthread(thread);
    if (target)
      target->detached = true;
  }
  return real_pthread_detach(thread);
}

RC_INTERFACE void pthread_exit(void *retval) {
  RC_REAL(real_pthread_exit, "pthread_exit");
  rc_thread *t = rc_active_thread();
  if (t) {
    t->retval = retval;
    rc_ext(t)->exited_via_pthread_exit = true;
    /* Other threads finish in their trampoline's cleanup during the forced
     * unwind; the main thread has no trampoline. */
    if (t->tid == 0)
      finish_thread(t);
  }
  real_pthread_exit(retval);
}

RC_INTERFACE int pthread_key_create(pthread_key_t *key,
                                    void (*destructor)(void *)) {
  RC_REAL(real_pthread_key_create, "pthread_key_create");
  if (!g_rt.initialized)
    return real_pthread_key_create(key, destructor);
  int ret = real_pthread_key_create(key, 0);
  if (ret == 0 && *key < PTHREAD_KEYS_MAX)
    key_destructors[*key] = destructor;
  return ret;
}

RC_INTERFACE int pthread_key_delete(pthread_key_t key) {
  RC_REAL(real_pthread_key_delete, "pthread_key_delete");
  if (key < PTHREAD_KEYS_MAX)
    key_destructors[key] = 0;
  return real_pthread_key_delete(key);
}

/* thread_local destructors (the C++ ABI's registration). The main thread's
 * go to glibc, which runs them at exit() in the right order, still under
 * the token; other threads' are kept here and run at thread end while the
 * thread is scheduled (glibc would run them after we gave up the token). */
RC_INTERFACE int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj,
                                          void *dso_symbol) {
  RC_REAL(real_cxa_thread_atexit_impl, "__cxa_thread_atexit_impl");
  rc_thread *t = rc_active_thread();
  if (!t || t->tid == 0)
    return real_cxa_thread_atexit_impl(fn, obj, dso_symbol);
  rc_tls_dtor *d = rc_alloc(sizeof *d);
  d->fn = fn;
  d->obj = obj;
  d->next = rc_ext(t)->tls_dtors;
  rc_ext(t)->tls_dtors = d;
  return 0;
}

void rc_threads_after_fork_child(void) {
  rc_thread *self = rc_self;
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    rc_thread *t = g_rt.threads[i];
    if (t != self && t->status != RC_THREAD_FINISHED) {
      t->status = RC_THREAD_FINISHED; /* it does not exist in the child */
      t->joined = true;
    }
  }
  g_rt.current = self;
  g_rt.fork_child = true;
}

RC_INTERFACE pid_t fork(void) {
  RC_REAL(real_fork, "fork");
  rc_thread *t = rc_active_thread();
  if (!t)
    return real_fork();
  pid_t pid = real_fork();
  if (pid == 0)
    rc_threads_after_fork_child();
  return pid;
}

/* A vfork child shares the parent's memory until it execs, and the exec
 * wrappers write the record before an exec: the runtime's state must not
 * be the parent's. As ThreadSanitizer does, a vfork is a fork. */
RC_INTERFACE pid_t vfork(void) { return fork(); }
