/* sync/cancel.c — the cancellation model: pthread_cancel of a modelled
 * thread acted on at the cancellation points the runtime models.
 *
 * A request only marks the target (glibc's own cancellation is never
 * armed: a real cancellation point inside the runtime, such as the real
 * read of an intercepted I/O call, would unwind the thread while the model
 * is half-way through a step). If the target is blocked in a modelled wait
 * that is a cancellation point (condition wait, join, sleep, semaphore
 * wait), the request ends that wait. The target acts on it at its next
 * modelled cancellation point, holding the token, once the model is
 * consistent again: a condition waiter first re-acquires its mutex, as
 * POSIX requires. Acting is pthread_exit(PTHREAD_CANCELED): glibc's forced
 * unwind runs the cleanup handlers, then the thread model finishes the
 * thread (thread-specific destructors, joiners woken) and the join returns
 * PTHREAD_CANCELED.
 *
 * pthread_setcancelstate and pthread_setcanceltype are kept per thread.
 * Asynchronous cancellation acts at the same points and also at the
 * thread's forced preemption points between instrumented accesses
 * (rc_preempt_point), where no model operation is half-done; a thread
 * looping in uninstrumented code is not canceled there. */
#include "sync/models.h"

/* The modelled waits that are cancellation points, by the operation a
 * blocked thread waits in. */
static bool waits_at_cancellation_point(const rc_thread *t) {
  switch (t->pending.kind) {
  case RC_OP_COND_WAIT:
  case RC_OP_THREAD_JOIN:
  case RC_OP_SLEEP:
  case RC_OP_SEM_WAIT: return true;
  default: return false;
  }
}

bool rc_cancel_due(rc_thread *t) {
  rc_thread_ext *ext = rc_ext(t);
  return ext->cancel_pending && !ext->cancel_disabled;
}

void rc_cancel_request(rc_thread *target) {
  rc_thread *self = rc_self;
  rc_schedule(RC_OP_PREEMPT, target, rc_caller_site());
  rc_ext(target)->cancel_pending = true;
  if (target == self && rc_ext(self)->cancel_async)
    rc_cancel_point(self); /* asynchronous: at once */
  if (rc_cancel_due(target) && target->status == RC_THREAD_BLOCKED &&
      waits_at_cancellation_point(target))
    rc_unblock(target);
}

void rc_cancel_point(rc_thread *t) {
  if (!t || !rc_cancel_due(t))
    return;
  static void (*real_pthread_exit)(void *) __attribute__((noreturn));
  RC_REAL(real_pthread_exit, "pthread_exit");
  /* Acted on once: cancellation points inside cleanup handlers go on. */
  rc_ext(t)->cancel_pending = false;
  rc_ext(t)->cancel_disabled = true;
  rc_thread_exit(t, PTHREAD_CANCELED);
  real_pthread_exit(PTHREAD_CANCELED);
}

void rc_cancel_set_state(rc_thread *t, int state) {
  rc_ext(t)->cancel_disabled = state == PTHREAD_CANCEL_DISABLE;
}

void rc_cancel_set_type(rc_thread *t, int type) {
  rc_ext(t)->cancel_async = type == PTHREAD_CANCEL_ASYNCHRONOUS;
}
