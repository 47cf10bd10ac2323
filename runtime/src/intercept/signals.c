/* signals.c — the signal interceptors: sigaction and the signal()
 * family (BSD and System V) go to the
 * signal model (sync/signals.c), raise and kill deliver what they made
 * pending on the caller before they return, pthread_kill to a modelled
 * thread lets the model deliver it there (also into a modelled wait), and
 * waiting for a signal leaves the serialized region, for it waits for the
 * outside world. */
#include "sync/models.h"
#include "sync/signals.h"

#include "sched/scheduler.h"

#include <string.h>
#include <sys/types.h>

static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);

RC_INTERCEPT int sigaction(int sig, const struct sigaction *act,
                           struct sigaction *old) {
  RC_REAL(real_sigaction, "sigaction");
  if (!rc_signals_modelled(sig))
    return real_sigaction(sig, act, old);
  return rc_signals_set_action(sig, act, old);
}

static __sighandler_t install_handler(int sig, __sighandler_t handler,
                                      int flags) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, &sa, &old) != 0)
    return SIG_ERR;
  return old.sa_handler;
}

/* BSD semantics, glibc's default. */
RC_INTERCEPT __sighandler_t signal(int sig, __sighandler_t handler) {
  return install_handler(sig, handler, SA_RESTART);
}

RC_INTERCEPT __sighandler_t bsd_signal(int sig, __sighandler_t handler) {
  return install_handler(sig, handler, SA_RESTART);
}

/* System V semantics: what `signal` is under strict standard modes
 * (-std=c99 without _DEFAULT_SOURCE): a one-shot handler, not blocked
 * while it runs, calls not restarted. */
RC_INTERCEPT __sighandler_t __sysv_signal(int sig, __sighandler_t handler) {
  return install_handler(sig, handler, SA_RESETHAND | SA_NODEFER);
}

RC_INTERCEPT __sighandler_t sysv_signal(int sig, __sighandler_t handler) {
  return install_handler(sig, handler, SA_RESETHAND | SA_NODEFER);
}

static int (*real_raise)(int);

RC_INTERCEPT int raise(int sig) {
  RC_REAL(real_raise, "raise");
  int ret = real_raise(sig);
  rc_thread *t = rc_active_thread();
  if (t && t == g_rt.current)
    rc_signals_deliver_pending(t); /* raise returns after the handler ran */
  return ret;
}

static int (*real_kill)(pid_t, int);

/* When the kernel gave a process-directed signal to the caller, its
 * handler runs before kill returns, as POSIX promises (another thread
 * that got it runs it at its next scheduling point). */
RC_INTERCEPT int kill(pid_t pid, int sig) {
  RC_REAL(real_kill, "kill");
  int ret = real_kill(pid, sig);
  rc_thread *t = rc_active_thread();
  if (t && t == g_rt.current)
    rc_signals_deliver_pending(t);
  return ret;
}

static int (*real_pthread_kill)(pthread_t, int);

RC_INTERCEPT int pthread_kill(pthread_t thread, int sig) {
  RC_REAL(real_pthread_kill, "pthread_kill");
  rc_thread *target = rc_thread_of(thread);
  if (!target)
    return real_pthread_kill(thread, sig);
  return rc_signals_kill_thread(target, sig, real_pthread_kill);
}

/* Waiting for a signal waits for the outside world: leave the region. */
static int (*real_pause)(void);
static int (*real_sigsuspend)(const sigset_t *);
static int (*real_sigwait)(const sigset_t *, int *);
static int (*real_sigwaitinfo)(const sigset_t *, siginfo_t *);
static int (*real_sigtimedwait)(const sigset_t *, siginfo_t *,
                                const struct timespec *);

#define RC_OUTSIDE_CALL(real_var, name, call)                                  \
  do {                                                                         \
    RC_REAL(real_var, name);                                                   \
    rc_thread *t_ = rc_active_thread();                                        \
    if (!t_)                                                                   \
      return call;                                                             \
    rc_io_leave(t_);                                                           \
    int ret_ = call;                                                           \
    rc_io_return(t_);                                                          \
    return ret_;                                                               \
  } while (0)

RC_INTERCEPT int pause(void) {
  RC_OUTSIDE_CALL(real_pause, "pause", real_pause());
}

RC_INTERCEPT int sigsuspend(const sigset_t *mask) {
  RC_OUTSIDE_CALL(real_sigsuspend, "sigsuspend", real_sigsuspend(mask));
}

RC_INTERCEPT int sigwait(const sigset_t *set, int *sig) {
  RC_OUTSIDE_CALL(real_sigwait, "sigwait", real_sigwait(set, sig));
}

RC_INTERCEPT int sigwaitinfo(const sigset_t *set, siginfo_t *info) {
  RC_OUTSIDE_CALL(real_sigwaitinfo, "sigwaitinfo", real_sigwaitinfo(set, info));
}

RC_INTERCEPT int sigtimedwait(const sigset_t *set, siginfo_t *info,
                              const struct timespec *timeout) {
  RC_OUTSIDE_CALL(real_sigtimedwait, "sigtimedwait",
                  real_sigtimedwait(set, info, timeout));
}
