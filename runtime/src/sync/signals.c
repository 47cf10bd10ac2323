/* sync/signals.c — the signal model: what the program's handlers are,
 * which signals are pending on which thread and when they are delivered,
 * and the runtime's own crash handling. The interceptors that feed it are
 * in intercept/signals.c.
 *
 * Handlers of asynchronous signals would run user code at an arbitrary
 * point, possibly in a thread that does not hold the token. The program's
 * handlers are therefore installed behind a stub that only marks the signal
 * pending on the receiving thread; the handler runs at that thread's next
 * scheduling point (or right away for raise(), which promises delivery
 * before it returns). Synchronous signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGTRAP, SIGSYS, and SIGABRT raised by the thread itself) are about the
 * current instruction, so the program's handlers for them are installed as
 * they are. Real-time signals (>= 32) are not deferred.
 *
 * Our own handler for fatal signals (when the program has none) writes the
 * record with a crash finding and re-raises the signal with its default
 * action, so the process still dies of it. Terminating signals the program
 * leaves at their default (SIGTERM, SIGINT, SIGHUP, ...) get the same
 * treatment without a crash finding: the record keeps the findings so far
 * and names the signal the program died of. It runs on a per-thread
 * alternate signal stack, so a stack overflow (SIGSEGV on the guard page)
 * is reported too. An abort coming from std::terminate with an exception in
 * flight is reported as an uncaught exception with its (demangled) type:
 * a terminate handler, installed when the program links libstdc++, notes it
 * before chaining to the previous handler. */
#include "sync/signals.h"

#include "sched/scheduler.h"
#include "core/finding_sink.h"
#include "core/reservations.h"

#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);

/* The model's state: the program's actions and what is pending. The
 * pending bits themselves are per thread (rc_thread.pending_signals), set
 * by the deferring stub and cleared at delivery. */
typedef struct rc_signal_model {
  /* what the program asked for, per signal (valid when `known`) */
  struct sigaction actions[_NSIG];
  bool known[_NSIG];
  /* the siginfo of the latest deferred occurrence of each signal < 32 */
  siginfo_t pending_info[32];
  /* Released into by every install of a handler, acquired by each of its
   * deliveries: what the installer did before sigaction()/signal()
   * happens-before the handler (as ThreadSanitizer orders it). */
  rc_vc installed[_NSIG];
} rc_signal_model;

static rc_signal_model model;

/* Deferred signals that arrived, for a thread waiting for one from outside
 * (rc_signals_await_arrival): bumped after the pending bit is set. */
static uint32_t arrivals;

static bool is_synchronous(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
         sig == SIGTRAP || sig == SIGSYS || sig == SIGABRT;
}

static bool is_fatal_watched(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
         sig == SIGABRT;
}

/* Signals whose default action ends the process without being about the
 * current instruction: a run they end is not a crash, but its findings so
 * far must still reach the record. */
static const int terminating[] = {
    SIGTERM,   SIGINT,  SIGHUP,  SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,  SIGPIPE,
    SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGIO,   SIGPWR,  SIGSTKFLT};

static bool is_terminating_watched(int sig) {
  for (unsigned i = 0; i < sizeof terminating / sizeof terminating[0]; i++)
    if (terminating[i] == sig)
      return true;
  return false;
}

static void call_user_handler(int sig, siginfo_t *info, void *context) {
  struct sigaction *a = &model.actions[sig];
  if (a->sa_flags & SA_SIGINFO) {
    if (a->sa_sigaction)
      a->sa_sigaction(sig, info, context);
  } else if (a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN) {
    a->sa_handler(sig);
  }
  if (a->sa_flags & SA_RESETHAND) {
    memset(a, 0, sizeof *a);
    a->sa_handler = SIG_DFL;
  }
}

static void end_run_by_terminating_signal(int sig);

static void deferring_stub(int sig, siginfo_t *info, void *context) {
  rc_thread *t = rc_self;
  /* A registered thread runs the handler at its next scheduling point (a
   * parked or blocked one, when it is scheduled again). */
  if (t && sig < 32 && !g_rt.finalized) {
    model.pending_info[sig] = *info;
    /* Bumped first: whoever sees the bit (pthread_kill's wait) then sees
     * the generation moved, and its next point looks at the threads. */
    rc_sched_changed();
    __atomic_fetch_or(&t->pending_signals, 1u << sig, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&arrivals, 1, __ATOMIC_SEQ_CST);
    rc_raw_syscall(SYS_futex, (long)&arrivals, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
    return;
  }
  call_user_handler(sig, info, context);
}

static bool has_user_handler(const struct sigaction *a) {
  return (a->sa_flags & SA_SIGINFO)
             ? a->sa_sigaction != 0
             : a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN;
}

uint32_t rc_signals_with_handler(int *out, uint32_t cap) {
  uint32_t n = 0;
  for (int sig = 1; sig < _NSIG; sig++)
    if (model.known[sig] && !is_synchronous(sig) &&
        has_user_handler(&model.actions[sig]) && n < cap)
      out[n++] = sig;
  return n;
}

bool rc_signals_external_handler_installed(void) {
  int sig;
  return rc_signals_with_handler(&sig, 1) > 0;
}

static bool any_signal_pending(void) {
  uint32_t n = __atomic_load_n(&g_rt.n_threads, __ATOMIC_ACQUIRE);
  for (uint32_t i = 0; i < n; i++)
    if (__atomic_load_n(&g_rt.threads[i]->pending_signals, __ATOMIC_SEQ_CST))
      return true;
  return false;
}

void rc_signals_await_arrival(void) {
  for (;;) {
    uint32_t seen = __atomic_load_n(&arrivals, __ATOMIC_SEQ_CST);
    if (any_signal_pending() || g_rt.finalized)
      return;
    rc_raw_syscall(SYS_futex, (long)&arrivals, FUTEX_WAIT_PRIVATE, seen, 0, 0,
                   0);
  }
}

void rc_signals_deliver_pending(rc_thread *t) {
  /* Handlers may make scheduling points, which deliver again: the state of
   * the interrupted wait is taken first and settled after them. While the
   * handlers run, the thread stays a registered waiter, so that a condition
   * signal meant for it at one of their scheduling points is not lost. */
  rc_thread_ext *ext = rc_ext(t);
  bool woken = ext->sig_wait == RC_SIG_WAIT_WOKEN;
  if (woken) {
    ext->sig_wait = RC_SIG_WAIT_HANDLER;
    t->timed_deadline_ns = 0;
    rc_sched_changed();
  }
  rc_sig_wait_state result = RC_SIG_WAIT_NONE;
  uint32_t bits = __atomic_exchange_n(&t->pending_signals, 0, __ATOMIC_RELAXED);
  for (int sig = 1; sig < 32 && bits; sig++) {
    if (!(bits & (1u << sig)))
      continue;
    bits &= ~(1u << sig);
    struct sigaction *a = &model.actions[sig];
    if (is_terminating_watched(sig) && !(a->sa_flags & SA_SIGINFO) &&
        a->sa_handler == SIG_DFL) /* handed over by termination_handler */
      end_run_by_terminating_signal(sig);
    if (!has_user_handler(a))
      continue;
    if (!(a->sa_flags & SA_RESTART))
      result = RC_SIG_WAIT_EINTR;
    else if (result == RC_SIG_WAIT_NONE)
      result = RC_SIG_WAIT_RESTART;
    rc_hb_acquire(t, &model.installed[sig]);
    siginfo_t info = model.pending_info[sig];
    call_user_handler(sig, &info, 0);
  }
  if (woken) {
    ext->sig_wait = result;
    rc_thread_set_wait_object(t, 0); /* no longer a registered waiter */
  }
}

void rc_signals_wake_for_delivery(rc_thread *t) {
  rc_waiter_woken_for_signal = true;
  /* Enabled but still a registered waiter: a condition signal meant for it
   * meanwhile is not lost (glibc's waiter consumes it after the handler). */
  rc_thread_set_status(t, RC_THREAD_ENABLED);
  rc_ext(t)->sig_wait = RC_SIG_WAIT_WOKEN;
}

rc_sig_wait_state rc_signals_wait_interrupted(rc_thread *t) {
  rc_thread_ext *ext = rc_ext(t);
  rc_sig_wait_state s = (rc_sig_wait_state)ext->sig_wait;
  if (s == RC_SIG_WAIT_WOKEN || s == RC_SIG_WAIT_HANDLER)
    return RC_SIG_WAIT_NONE; /* not delivered yet, or a wait in its handler */
  ext->sig_wait = RC_SIG_WAIT_NONE;
  return s;
}

/* How long pthread_kill waits for the kernel to run the deferring stub on
 * the target (it does so at once unless the target blocks the signal). */
#define RC_KILL_ACK_YIELDS 20000

int rc_signals_kill_thread(rc_thread *target, int sig,
                           int (*real_kill)(pthread_t, int)) {
  int ret = real_kill((pthread_t)rc_ext(target)->pthread, sig);
  if (ret != 0 || sig <= 0 || sig >= 32 || is_synchronous(sig))
    return ret;
  rc_thread *self = rc_active_thread();
  if (!self || self != g_rt.current)
    return ret;
  if (target == self) {
    rc_signals_deliver_pending(self); /* as raise: before it returns */
    return ret;
  }
  /* The stub marks the signal pending on the target from the target's own
   * context; wait for it, so that the scheduler's next decision sees it
   * and every schedule delivers at the same point. A target that blocks
   * the signal (or waits for it in sigwait) never marks it: bounded. */
  if (model.known[sig] && has_user_handler(&model.actions[sig]))
    for (int i = 0;
         i < RC_KILL_ACK_YIELDS &&
         !(__atomic_load_n(&target->pending_signals, __ATOMIC_ACQUIRE) &
           (1u << sig)) &&
         target->status != RC_THREAD_FINISHED;
         i++)
      rc_raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
  return ret;
}

/* ---- alternate signal stacks ----
 * The crash handler writes the record and runs the report tool, so it needs
 * more than MINSIGSTKSZ; pages are only committed when touched. */
#define RC_ALT_STACK_SIZE (256u * 1024u)
static __thread void *alt_stack;

void rc_signals_thread_start(void) {
  if (alt_stack)
    return;
  long addr =
      rc_raw_syscall(SYS_mmap, 0, RC_ALT_STACK_SIZE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (addr < 0 && addr > -4096)
    return; /* no alternate stack: a stack overflow then kills silently */
  stack_t ss = {
      .ss_sp = (void *)addr, .ss_size = RC_ALT_STACK_SIZE, .ss_flags = 0};
  if (sigaltstack(&ss, 0) != 0) {
    rc_raw_syscall(SYS_munmap, addr, RC_ALT_STACK_SIZE, 0, 0, 0, 0);
    return;
  }
  rc_reservations_add(RC_ALT_STACK_SIZE);
  alt_stack = (void *)addr;
}

void rc_signals_thread_finish(void) {
  if (!alt_stack)
    return;
  stack_t ss = {.ss_sp = 0, .ss_size = 0, .ss_flags = SS_DISABLE};
  if (sigaltstack(&ss, 0) == 0) {
    rc_raw_syscall(SYS_munmap, (long)alt_stack, RC_ALT_STACK_SIZE, 0, 0, 0, 0);
    rc_reservations_add(-(long)RC_ALT_STACK_SIZE);
    alt_stack = 0;
  }
}

/* ---- uncaught C++ exceptions ----
 * libstdc++ symbols, weak so that C programs link without them. The type
 * name is demangled here, in the terminate handler (an ordinary context,
 * holding the token), not in the signal handler. */
typedef void (*rc_terminate_handler)(void);
extern rc_terminate_handler _ZSt13set_terminatePFvvE(rc_terminate_handler)
    __attribute__((weak)); /* std::set_terminate */
extern void *__cxa_current_exception_type(void) __attribute__((weak));
extern char *__cxa_demangle(const char *, char *, size_t *, int *)
    __attribute__((weak));

static rc_terminate_handler previous_terminate_handler;
/* Set by the terminate handler of the thread that terminates the program. */
static char terminate_reason[160];

static void note_terminate(void) {
  const char *type = 0;
  char *demangled = 0;
  void *type_info =
      __cxa_current_exception_type ? __cxa_current_exception_type() : 0;
  if (type_info) {
    /* Itanium C++ ABI: std::type_info is { vtable, const char *__name }; a
     * leading '*' marks a type local to its translation unit. */
    type = ((const char *const *)type_info)[1];
    if (type && *type == '*')
      type++;
    int status = -1;
    if (type && __cxa_demangle)
      demangled = __cxa_demangle(type, 0, 0, &status);
    if (demangled && status == 0)
      type = demangled;
  }
  if (type)
    snprintf(terminate_reason, sizeof terminate_reason,
             "an uncaught exception of type %s", type);
  else
    snprintf(terminate_reason, sizeof terminate_reason,
             "std::terminate (no exception in flight)");
  free(demangled);
}

static void racecheck_terminate_handler(void) {
  note_terminate();
  if (previous_terminate_handler)
    previous_terminate_handler(); /* prints what() and aborts */
  abort();
}

static void install_terminate_handler(void) {
  if (!_ZSt13set_terminatePFvvE)
    return;
  previous_terminate_handler =
      _ZSt13set_terminatePFvvE(racecheck_terminate_handler);
}

/* ---- crash and termination handling ---- */
/* Die of `sig` with its default action, so the exit status stays the
 * signal's. The signal is blocked while its handler runs: it is delivered
 * when the handler returns. */
static void reraise_default(int sig) {
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  real_sigaction(sig, &dfl, 0);
  rc_raw_syscall(SYS_tgkill, getpid(),
                 rc_raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0), sig, 0, 0, 0);
}

static void end_run_by_terminating_signal(int sig) {
  if (g_rt.initialized && !g_rt.finalized)
    rc_end_run_by_signal(sig);
  reraise_default(sig);
}

static void sleep_ms(long ms) {
  struct timespec ts = {0, ms * 1000000L};
  rc_raw_syscall(SYS_nanosleep, (long)&ts, 0, 0, 0, 0, 0);
}

/* How long a thread that received a terminating signal lets the token
 * holder end the run from its next scheduling point before it writes the
 * record itself (the holder may spin in uninstrumented code). */
#define RC_TERMINATION_HANDOFF_MS 1000

/* A terminating signal the program does not handle: write the record with
 * the findings so far and the signal as the way the program ended. The
 * kernel gives it to any thread; while another thread holds the token it
 * may be changing the runtime's state, so the holder is asked to end the
 * run at its next scheduling point, where that state is whole. */
static void termination_handler(int sig, siginfo_t *info, void *context) {
  (void)info;
  (void)context;
  rc_thread *holder = __atomic_load_n(&g_rt.current, __ATOMIC_ACQUIRE);
  if (g_rt.initialized && !g_rt.finalized && holder && holder != rc_self &&
      holder->status == RC_THREAD_ENABLED) {
    rc_sched_changed();
    __atomic_fetch_or(&holder->pending_signals, 1u << sig, __ATOMIC_RELEASE);
    for (int ms = 0; ms < RC_TERMINATION_HANDOFF_MS && !g_rt.finalized; ms += 5)
      sleep_ms(5);
    while (g_rt.finalized) /* the run ends elsewhere: let it end the process */
      sleep_ms(50);
  }
  end_run_by_terminating_signal(sig);
}

static void crash_handler(int sig, siginfo_t *info, void *context) {
  rc_thread *t = rc_self;
  if (g_rt.initialized && !g_rt.finalized) {
    rc_finding *f = rc_alloc(sizeof *f);
    f->kind = RC_FINDING_CRASH;
    f->cause = (rc_cause){.set = true,
                          .kind = RC_RECORD_CAUSE_SIGNAL,
                          .tid = t ? t->tid : 0,
                          .n_values = 1,
                          .values = {(uint64_t)sig}};
    if (sig == SIGABRT && terminate_reason[0]) {
      f->cause.kind = RC_RECORD_CAUSE_TERMINATED;
      f->cause.text = terminate_reason;
    } else if (sig == SIGSEGV && t && t->stack_hi > t->stack_lo &&
               (uintptr_t)info->si_addr < t->stack_lo &&
               (uintptr_t)info->si_addr + 65536 >= t->stack_lo) {
      /* Just below the thread's stack: the guard page. */
      f->cause.kind = RC_RECORD_CAUSE_STACK_OVERFLOW;
    }
    /* A fault is about its instruction, which may lie past the latest
     * instrumented site; an abort's is inside libc. */
    if (sig != SIGABRT)
      rc_fault_locate(f, context);
    if (t) {
      f->waiters = rc_alloc(sizeof *f->waiters);
      f->n_waiters = 1;
      f->waiters[0].tid = t->tid;
      f->waiters[0].op = t->pending.kind;
      /* An abort comes from a call (assert, abort, std::terminate): the
       * latest call site is its position; a fault is at the latest access. */
      f->waiters[0].site = sig == SIGABRT && __racecheck_call_site
                               ? __racecheck_call_site
                               : t->last_site;
      f->waiters[0].stack = t->current_stack;
      f->waiters[0].lockset = t->lockset;
      f->waiters[0].object = RC_RECORD_WAIT_SIGNAL;
      f->waiters[0].object_id = (uint32_t)sig;
    }
    rc_add_finding(f);
    rc_end_run_by_signal(sig);
  }
  reraise_default(sig);
}

/* The runtime's handler for `sig`: the crash handler for fatal signals, the
 * termination handler for the others. While it writes the record, every
 * terminating signal is blocked: a second ^C must not kill the process
 * half-way through the write. */
static void install_runtime_handler(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = is_fatal_watched(sig) ? crash_handler : termination_handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (unsigned i = 0; i < sizeof terminating / sizeof terminating[0]; i++)
    sigaddset(&sa.sa_mask, terminating[i]);
  real_sigaction(sig, &sa, 0);
}

/* Watch `sig` when the program starts with its default action (a signal
 * ignored by the parent, as under nohup, stays ignored). */
static void watch_if_default(int sig) {
  struct sigaction old;
  if (real_sigaction(sig, 0, &old) == 0 && old.sa_handler == SIG_DFL) {
    model.actions[sig] = old;
    model.known[sig] = true;
    install_runtime_handler(sig);
  }
}

void rc_signals_init(void) {
  RC_REAL(real_sigaction, "sigaction");
  static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
  for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
    watch_if_default(fatal[i]);
  for (unsigned i = 0; i < sizeof terminating / sizeof terminating[0]; i++)
    watch_if_default(terminating[i]);
  rc_signals_thread_start(); /* the main thread's alternate stack */
  install_terminate_handler();
}

bool rc_signals_modelled(int sig) {
  return g_rt.initialized && sig > 0 && sig < _NSIG && sig != SIGKILL &&
         sig != SIGSTOP;
}

int rc_signals_set_action(int sig, const struct sigaction *act,
                          struct sigaction *old) {
  RC_REAL(real_sigaction, "sigaction");
  struct sigaction previous;
  if (real_sigaction(sig, 0, &previous) != 0)
    return -1;
  if (model.known[sig])
    previous = model.actions[sig];
  if (act) {
    struct sigaction installed = *act;
    bool is_handler = act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN;
    if (is_handler && !is_synchronous(sig) && sig < 32) {
      installed.sa_sigaction = deferring_stub;
      installed.sa_flags |= SA_SIGINFO;
      installed.sa_flags &= ~SA_RESETHAND; /* we reset at delivery */
    }
    bool keep_runtime_handler =
        !is_handler && act->sa_handler == SIG_DFL &&
        (is_fatal_watched(sig) || is_terminating_watched(sig));
    if (!keep_runtime_handler && real_sigaction(sig, &installed, 0) != 0)
      return -1;
    model.actions[sig] = *act;
    model.known[sig] = true;
    rc_thread *t = rc_active_thread();
    if (is_handler && t && t == g_rt.current)
      rc_hb_release_join(t, &model.installed[sig]);
    if (keep_runtime_handler)
      install_runtime_handler(sig);
  }
  if (old)
    *old = previous;
  return 0;
}
