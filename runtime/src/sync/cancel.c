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
#include "sched/task_state.h"
#include "sync/models.h"

#include <sys/syscall.h>
#include <unistd.h>

/* ---- a target blocked in the kernel ----
 * A thread in an intercepted call that waits in the kernel (read, recv,
 * accept, poll, waitpid...: all cancellation points) has left the
 * serialized region and sleeps in the real call. A signal ends that call
 * with EINTR, and rc_io_return acts on the request. The signal is glibc's
 * own cancellation signal (32), which programs can neither block nor
 * handle, and whose handler glibc never installs for a modelled thread
 * (its pthread_cancel never reaches glibc); the runtime's does nothing and
 * is installed without SA_RESTART, with the raw system call (glibc's
 * sigaction refuses that signal). It is sent only once the target sleeps
 * in the kernel outside the runtime's own system calls, so it cannot land
 * before the call and be lost. A fork server's child has the server's
 * handler for that signal until its first pthread_create, after which the
 * server no longer sends it; a cancellation of another thread comes later. */
#define RC_KICK_SIGNAL 32
#define RC_SA_RESTORER 0x04000000

static void kick_handler(int sig) { (void)sig; }

static void install_kick_handler(void) {
  static bool installed;
  if (installed)
    return;
  struct {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
  } action = {kick_handler, RC_SA_RESTORER, rc_watchdog_signal_return, 0};
  installed = rc_raw_syscall(SYS_rt_sigaction, RC_KICK_SIGNAL, (long)&action, 0,
                             sizeof action.mask, 0, 0) == 0;
}

/* Waits (a bounded number of yields) until `target` sleeps in its real
 * call, then interrupts it; nothing if it comes back first. */
static void kick_out_of_kernel(rc_thread *target) {
  install_kick_handler();
  int32_t tid = __atomic_load_n(&rc_ext(target)->kernel_tid, __ATOMIC_ACQUIRE);
  for (int tries = 0; tid > 0 && tries < 100000; tries++) {
    if (__atomic_load_n(&target->status, __ATOMIC_ACQUIRE) != RC_THREAD_OUTSIDE)
      return;
    rc_task_syscall call;
    if (rc_task_state(tid) == 'S' && rc_task_syscall_of(tid, &call) &&
        call.number >= 0 && call.pc != (uintptr_t)rc_raw_syscall_return) {
      rc_raw_syscall(SYS_tgkill, getpid(), tid, RC_KICK_SIGNAL, 0, 0, 0);
      return;
    }
    rc_raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
  }
}

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
  else if (rc_cancel_due(target) && target != self &&
           target->status == RC_THREAD_OUTSIDE)
    kick_out_of_kernel(target);
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
