/* sync/thread.c — the thread model: a thread's lifecycle under the
 * scheduler, from pthread_create to its join, detach or the fork that
 * leaves it behind; the interceptors (intercept/interceptors_thread.c) only
 * decode libc's arguments and call these.
 *
 * The object is the rc_thread itself (core/runtime.h). Its state machine,
 * in `status` and the `detached`/`joined` flags:
 *   created  — rc_thread_create made the record; the real thread exists
 *              once the real create succeeded (ENABLED), else the record
 *              is dropped again;
 *   running  — its trampoline registered it and parks it until the
 *              scheduler first picks it, then runs the start routine;
 *   finished — at its end (return, or pthread_exit's forced unwind reached
 *              through a cleanup attribute — the runtime is built with
 *              -fexceptions) it runs the destructors while still
 *              scheduled, becomes FINISHED, wakes its joiners, hands the
 *              token on and returns to glibc without touching runtime state
 *              again.
 * Independently it is joinable, detached (at create or by pthread_detach:
 * a join then fails) or joined (a join took its end; its pthread_t may be
 * reused by a later thread, which lookups then find instead).
 *
 * Happens-before: creation copies the parent's clock into the child; join
 * acquires the child's final clock. Lock order hears of both
 * (rc_fork_join_on_create / rc_fork_join_on_join). */
#include "detect/misuse.h"
#include "sync/models.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>

/* Destructors of pthread keys, run by us on thread exit (the real keys are
 * created without one so glibc does not run them a second time, outside
 * the serialized region). */
static void (*key_destructors[PTHREAD_KEYS_MAX])(void *);

void rc_thread_key_destructor(pthread_key_t key, void (*destructor)(void *)) {
  if (key < PTHREAD_KEYS_MAX)
    key_destructors[key] = destructor;
}

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

void rc_thread_at_exit(rc_thread *t, void (*fn)(void *), void *obj) {
  rc_tls_dtor *d = rc_alloc(sizeof *d);
  d->fn = fn;
  d->obj = obj;
  d->next = rc_ext(t)->tls_dtors;
  rc_ext(t)->tls_dtors = d;
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

/* running -> finished: everything a thread does at its end while it still
 * holds the token. */
static void thread_finish(rc_thread *t) {
  __racecheck_call_site = 0;
  run_tls_destructors(t);
  run_key_destructors();
  rc_misuse_exit_holding(t, rc_mutex_abandoned_lock(t), t->last_site);
  rc_schedule(RC_OP_THREAD_EXIT, 0, t->last_site);
  rc_thread_set_status(t, RC_THREAD_FINISHED);
  rc_unblock_all(t); /* joiners */
  rc_mutex_owner_ended(t);
  rc_thread_release_clock_slot(t);
  rc_schedule_leave();
  rc_self = 0;
  rc_signals_thread_finish();
}

/* The start routine's end, by return or by pthread_exit's forced unwind. */
static void finish_on_unwind(rc_thread **t) {
  if (*t && rc_self == *t && !g_rt.finalized)
    thread_finish(*t);
}

/* The real stack (and static TLS) of the calling thread, for `t`. */
static void note_stack(rc_thread *t) {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0)
    return;
  void *addr;
  size_t size;
  if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
    t->stack_lo = (uintptr_t)addr;
    t->stack_hi = (uintptr_t)addr + size;
  }
  pthread_attr_destroy(&attr);
}

/* created -> running: the new real thread's first code. */
static void thread_start(rc_thread *t) {
  rc_self = t;
  /* Registered: a signal can be marked pending on it now. */
  pthread_sigmask(SIG_SETMASK, &rc_ext(t)->start_mask, 0);
  note_stack(t);
  rc_signals_thread_start();
  rc_wait_for_token(t);
  /* glibc reuses stacks (and the static TLS inside them): accesses of an
   * earlier thread there are unrelated to this one. */
  if (t->stack_hi > t->stack_lo) {
    rc_shadow_clear(t->stack_lo, t->stack_hi - t->stack_lo);
    rc_sync_free_range(t->stack_lo, t->stack_hi - t->stack_lo);
  }
  __racecheck_call_site = 0;
}

static void *thread_trampoline(void *arg) {
  rc_thread *t = arg;
  thread_start(t);
  __attribute__((cleanup(finish_on_unwind))) rc_thread *finisher = t;
  void *ret = t->start_routine(t->start_arg);
  t->retval = ret;
  return ret;
}

int rc_thread_create(pthread_t *thread, const pthread_attr_t *attr,
                     bool detached, void *(*start_routine)(void *), void *arg,
                     rc_real_pthread_create real_create, const rc_site *site) {
  rc_thread *t = rc_self;
  rc_schedule_begin(); /* a constructor's thread: the schedule starts now */
  rc_watchdog_start();
  rc_thread *child = rc_thread_new(t->tid);
  child->start_routine = start_routine;
  child->start_arg = arg;
  child->create_site = site;
  child->create_stack = t->current_stack;
  rc_vc_join(&child->vc, &t->vc);
  child->detached = detached;
  /* The new thread starts with every signal blocked: a handler reaching it
   * before it is registered would run outside the scheduler. */
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &rc_ext(child)->start_mask);
  int ret = real_create(thread, attr, thread_trampoline, child);
  pthread_sigmask(SIG_SETMASK, &rc_ext(child)->start_mask, 0);
  if (ret != 0) {
    /* No such thread: drop the record we just added (it is the last). */
    g_rt.n_threads--;
    return ret;
  }
  rc_thread_tick(t);
  rc_fork_join_on_create(t, child);
  rc_ext(child)->pthread = (unsigned long)*thread;
  child->pthread_self = (uint64_t)*thread;
  rc_thread_set_status(child, RC_THREAD_ENABLED);
  rc_schedule(RC_OP_THREAD_CREATE, child, site);
  return 0;
}

/* The newest not yet joined thread with this pthread_t (glibc reuses them). */
rc_thread *rc_thread_of(pthread_t thread) {
  if (!rc_active_thread())
    return 0;
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
      return false;        /* try-join */
    rc_cancel_point(self); /* the join goes on after a signal handler */
    rc_block_current_until(target, site, deadline);
    rc_schedule(RC_OP_THREAD_JOIN, target, site);
    if (self->timed_out && target->status != RC_THREAD_FINISHED)
      return false;
  }
  rc_hb_acquire(self, &target->vc);
  rc_fork_join_on_join(self, target);
  return true;
}

/* joinable -> joined once finished. */
int rc_thread_join(rc_thread *target, uint64_t deadline, const rc_site *site) {
  rc_thread *self = rc_self;
  if (target == self)
    return EDEADLK;
  if (target->detached)
    return EINVAL;
  if (!wait_finished(self, target, site, deadline))
    return deadline == 1 ? EBUSY : ETIMEDOUT;
  target->joined = true;
  /* Nothing reads a joined thread's clocks again; each is as long as the
   * number of threads created before it, so keeping them would make memory
   * grow with the square of the number of short threads. */
  rc_vc_destroy(&target->vc);
  rc_vc_destroy(&target->fence_release);
  rc_vc_destroy(&target->fence_acquire);
  rc_vc_destroy(&target->fork_join_vc);
  rc_vc_destroy(&target->sync_order_vc);
  return 0;
}

/* joinable -> detached. */
void rc_thread_detach(rc_thread *target) { target->detached = true; }

void rc_thread_exit(rc_thread *t, void *retval) {
  t->retval = retval;
  rc_ext(t)->exited_via_pthread_exit = true;
  /* Other threads finish in their trampoline's cleanup during the forced
   * unwind; the main thread has no trampoline. */
  if (t->tid == 0)
    thread_finish(t);
}

void rc_thread_exit_raw(rc_thread *t) {
  rc_schedule(RC_OP_THREAD_EXIT, 0, t->last_site);
  rc_thread_set_status(t, RC_THREAD_FINISHED);
  rc_unblock_all(t); /* joiners: the kernel clears the thread's tid word */
  rc_mutex_owner_ended(t);
  rc_thread_release_clock_slot(t);
  rc_schedule_leave();
  rc_self = 0;
}

void rc_threads_after_fork_child(void) {
  rc_findings_forget_inherited();
  rc_thread *self = rc_self;
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    rc_thread *t = g_rt.threads[i];
    if (t != self && t->status != RC_THREAD_FINISHED) {
      /* it does not exist in the child */
      rc_thread_set_status(t, RC_THREAD_FINISHED);
      t->joined = true;
    }
  }
  g_rt.current = self;
  g_rt.fork_child = true;
  rc_fd_after_fork_child();
  rc_watchdog_after_fork_child();
}
