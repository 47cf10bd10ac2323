/* sched/scheduler.h — declarations shared by the scheduling half of the
 * runtime (scheduler, sync objects, interceptors, init). The contract with
 * the memory half is core/runtime.h; this header is private to these files. */
#ifndef RACECHECK_SCHED_INTERNAL_H
#define RACECHECK_SCHED_INTERNAL_H

#include "core/runtime.h"
/* rc_report_deadlock, rc_watchdog_report_hang: interceptors and the fork
 * server report through the scheduler's header as before. */
#include "detect/hang.h"

#include <signal.h>
#include <time.h>

/* ---- per-thread data of the scheduling half (rc_thread.user_data) ---- */
typedef struct rc_tls_dtor {
  void (*fn)(void *);
  void *obj;
  struct rc_tls_dtor *next;
} rc_tls_dtor;

/* The occurrence counters of the points a thread reached latest
 * (schedule_switches.c), direct-mapped by (site, operation). */
#define RC_POINT_COUNT_CACHE 8 /* power of two */
typedef struct rc_point_count_entry {
  const rc_site *site;
  rc_op_kind op;
  uint64_t *count; /* null: empty */
} rc_point_count_entry;
typedef struct rc_point_count_cache {
  rc_point_count_entry entries[RC_POINT_COUNT_CACHE];
} rc_point_count_cache;

typedef struct rc_thread_ext {
  uint64_t wait_ticket;   /* FIFO order among condition-variable waiters */
  bool signalled;         /* a cond signal/futex wake picked this waiter */
  rc_tls_dtor *tls_dtors; /* __cxa_thread_atexit_impl registrations, LIFO */
  unsigned long pthread;  /* pthread_t of the real thread */
  bool exited_via_pthread_exit;
  struct rc_thread *io_next; /* link in the queue of I/O returners */
  uint32_t futex_bitset;     /* FUTEX_WAIT_BITSET mask of a futex waiter */
  int32_t os_tid;            /* kernel thread id, while pinned (affinity.c) */
  int32_t kernel_tid;        /* kernel thread id, always (watchdog.c) */
  /* The thread's __racecheck_call_site slot: where the watchdog finds the
   * call a thread blocked in the kernel made. */
  const rc_site *const *call_site_slot;
  /* Whether the watchdog took the token from this thread while it was
   * blocked in the kernel (RC_AWAY_*): written with atomics by the thread
   * and by the watchdog. */
  uint32_t away;
  bool gone;        /* its task ended while it was OUTSIDE (watchdog.c) */
  uint8_t sig_wait; /* rc_sig_wait_state of its latest block */
  /* deferred cancellation (sync/cancel.c): requested, and the thread's
   * pthread_setcancelstate / pthread_setcanceltype as the model keeps them */
  bool cancel_pending, cancel_disabled, cancel_async;
  /* the creator's signal mask, which the new thread takes once registered
   * (sync/thread.c): until then every signal waits in the kernel */
  sigset_t start_mask;
  rc_point_count_cache point_counts; /* schedule_switches.c */
} rc_thread_ext;

/* rc_thread_ext.away. NO: the thread holds what the scheduler says it
 * holds. IN_SYSCALL: it holds the token but is in a system call that the
 * watchdog may take it from without further checks (the syscall
 * interceptor marks it). IN_RUNTIME: it waits in the kernel for the
 * runtime's own reasons (a real pthread_join after the modelled one): never
 * taken. TAKING: the watchdog committed to taking it and is updating the
 * thread's state; TAKEN: it did, the thread must come back
 * (rc_token_come_back) before it touches runtime state. */
enum {
  RC_AWAY_NO,
  RC_AWAY_IN_SYSCALL,
  RC_AWAY_IN_RUNTIME,
  RC_AWAY_TAKING,
  RC_AWAY_TAKEN
};

/* What became of a blocked thread's wait because of a signal
 * (sync/signals.c): the scheduler enables a blocked thread with a pending
 * signal (WOKEN) so that the handler runs on it; the delivery then says
 * how glibc's call would go on. */
typedef enum rc_sig_wait_state {
  RC_SIG_WAIT_NONE,    /* no handler interrupted the wait */
  RC_SIG_WAIT_WOKEN,   /* enabled for a delivery, still registered */
  RC_SIG_WAIT_RESTART, /* handlers ran, all with SA_RESTART */
  RC_SIG_WAIT_EINTR,   /* a handler without SA_RESTART ran */
  RC_SIG_WAIT_HANDLER  /* its handler runs, still registered */
} rc_sig_wait_state;

static inline rc_thread_ext *rc_ext(rc_thread *t) {
  return (rc_thread_ext *)t->user_data;
}

/* The calling thread when the runtime models its calls; null means "forward
 * to libc" (before init, after finalization, unknown threads). */
void rc_token_come_back(rc_thread *t);
static inline rc_thread *rc_active_thread(void) {
  rc_thread *t = rc_self;
  if (RC_UNLIKELY(!t || g_rt.finalized))
    return 0;
  /* Back from a kernel wait during which the watchdog gave the token
   * away: queue to come back, like a return from real I/O. */
  if (RC_UNLIKELY(__atomic_load_n(&rc_ext(t)->away, __ATOMIC_ACQUIRE) >=
                  RC_AWAY_TAKING))
    rc_token_come_back(t);
  return t;
}

/* Redeclared for the cheap TLS model (the runtime is in the executable). */
extern __thread const struct __racecheck_site *__racecheck_call_site
    __attribute__((tls_model("initial-exec")));

/* Position of the intercepted call in the user's code (may be null). */
static inline const rc_site *rc_caller_site(void) {
  return __racecheck_call_site;
}

/* ---- init.c ---- */
rc_thread *rc_thread_new(rc_tid parent); /* appended to g_rt.threads */
/* g_rt.strategy for g_rt.options (fatal when unknown). */
void rc_select_strategy(void);
/* Begin the strategy with the seed (once; at main or the first
 * pthread_create, whichever comes first). */
void rc_schedule_begin(void);
void rc_ensure_init(void);
/* Resolve the next definition of a libc symbol (ours interposes it). Fatal
 * when missing. `version` may be null. */
void *rc_real(const char *name, const char *version);
#define RC_REAL(var, name)                                                     \
  do {                                                                         \
    if (RC_UNLIKELY(!var))                                                     \
      *(void **)&var = rc_real(name, 0);                                       \
  } while (0)
#define RC_REAL_VERSION(var, name, version)                                    \
  do {                                                                         \
    if (RC_UNLIKELY(!var))                                                     \
      *(void **)&var = rc_real(name, version);                                 \
  } while (0)

/* ---- flags.c ---- */
void rc_flags_set_defaults(rc_options *options);
/* Parses "a=1:b=2" / "a=1 b=2"; on error prints it and exits(2). */
void rc_flags_parse(rc_options *options, const char *text);
/* The same, but an error is returned: false, the message in `error`. */
bool rc_flags_try_parse(rc_options *options, const char *text, char *error,
                        size_t error_size);

/* ---- scheduler.c ---- */
/* Token holders waiting for a thread's return from real I/O: the run is
 * not hung then (watchdog.c). */
extern volatile uint64_t rc_waiting_for_io;
/* decision_log.c: appends the pick of `chosen` at this step to
 * g_rt.decisions (only points with a real choice). */
void rc_decision_log(const rc_thread *chosen);
/* Hand the token on for good: the caller finished or leaves for real I/O.
 * Returns with the caller no longer holding the token. */
void rc_schedule_leave(void);
/* Come back after rc_schedule_leave (real I/O returned): queue and park. */
void rc_schedule_return(rc_thread *t);
/* The watchdog, for `t`, which holds the token but is blocked in the kernel
 * (`gone`: its task no longer exists): hands the token on as `t` would at
 * rc_schedule_leave, with `t` OUTSIDE (or FINISHED). The caller set
 * t's away word to RC_AWAY_TAKING and made sure that `t` runs no runtime
 * code before it sees RC_AWAY_TAKEN, which this stores. */
void rc_schedule_take_token(rc_thread *t, bool gone);
/* The watchdog, for `t`, OUTSIDE, whose task ended (a raw exit while
 * away): it is finished when the holder next absorbs the returners. */
void rc_schedule_return_gone(rc_thread *t);
/* Around a system call the runtime cannot model (the syscall
 * interceptor): the watchdog may take the token while it blocks. The end
 * returns with the caller holding the token again. */
void rc_syscall_enter(rc_thread *t);
void rc_syscall_exit(rc_thread *t);
/* Around a real call the runtime makes that may sleep in the kernel for a
 * moment though the thread keeps the token by design (RC_AWAY_IN_RUNTIME). */
static inline void rc_runtime_wait_begin(rc_thread *t) {
  __atomic_store_n(&rc_ext(t)->away, RC_AWAY_IN_RUNTIME, __ATOMIC_RELEASE);
}
static inline void rc_runtime_wait_end(rc_thread *t) {
  __atomic_store_n(&rc_ext(t)->away, RC_AWAY_NO, __ATOMIC_RELEASE);
}
/* At main: the watchdog thread starts (or, in a served child, the server
 * starts watching). */
void rc_watchdog_start_at_main(void);
/* At every pthread_create, before the thread exists. */
void rc_watchdog_start(void);
/* In the program's fork child: its own watchdog. */
void rc_watchdog_after_fork_child(void);
/* The watchdog of a fork server's child is the server (fork_server.c):
 * set before the first fork, single-threaded children then start no
 * watchdog thread. */
extern bool rc_watchdog_by_server;
/* A served child that can no longer be watched from outside starts the
 * watchdog thread after all (if it was due). */
void rc_watchdog_take_back(void);
/* fork_server.c: the served child runs its own watchdog thread from now
 * on; the server stops watching it. */
void rc_fork_server_watchdog_to_child(void);
/* The server's count for one child (zero-initialised per child). */
typedef struct rc_watchdog {
  uint64_t last_steps, last_events;
  uint64_t still;    /* milliseconds without progress so far */
  bool began;        /* the child reached its first pthread_create */
  rc_hang_kind kind; /* of the latest judgement */
} rc_watchdog;
/* In the server, every `elapsed_ms`: looks at child `pid`
 * (process_vm_readv); returns the milliseconds without progress when it
 * hung, else 0. */
uint64_t rc_watchdog_check_child(int pid, rc_watchdog *w, uint64_t elapsed_ms);
/* A new thread waits here until the scheduler first picks it. */
void rc_wait_for_token(rc_thread *t);
/* Threads blocked with a deadline are timed out when virtual time passes it. */
void rc_block_current_until(void *object, const rc_site *site,
                            uint64_t deadline_ns);
/* Whether a thread other than `self` is enabled or waits for a time-out
 * (it can act without real input arriving). */
bool rc_sched_others_can_act(const rc_thread *self);

/* ---- the typed sync objects and their registry (sync/objects.h) ---- */
#include "sync/objects.h"
/* Wake every thread blocked on `object` (they re-check their condition). */
void rc_unblock_all(const void *object);

/* ---- virtual time (sched/virtual_time.h) ---- */
#include "sched/virtual_time.h"

/* ---- interceptors_io.c: leaving the serialized region around a real
 * blocking call ---- */
void rc_io_leave(rc_thread *t);
void rc_io_return(rc_thread *t);

/* ---- sync/signals.c ---- */
void rc_signals_init(void);
void rc_signals_deliver_pending(rc_thread *t);
/* A blocked thread with a pending signal: enabled (still registered as a
 * waiter) so that the handler runs on it at its scheduling point. */
void rc_signals_wake_for_delivery(rc_thread *t);
/* Whether a signal handler ran while the caller's latest block lasted, and
 * how: RC_SIG_WAIT_NONE, _RESTART or _EINTR (read once: it is cleared). */
rc_sig_wait_state rc_signals_wait_interrupted(rc_thread *t);
/* Has the program a handler for a signal that can come from outside (not a
 * fault of its own)? Such a handler may change what a thread waits for. */
bool rc_signals_external_handler_installed(void);
/* Writes the asynchronous signals that have a program handler, in order,
 * at most `cap` of them; returns how many it wrote. */
uint32_t rc_signals_with_handler(int *out, uint32_t cap);
/* Waits (really) until a deferred signal is pending on some thread: the
 * wait of a run only a signal from outside the program can move on. */
void rc_signals_await_arrival(void);
/* ---- sync/cancel.c: deferred cancellation at modelled points ---- */
/* A cancellation request of `t` is to be acted on at a cancellation point
 * now (requested, enabled). */
bool rc_cancel_due(rc_thread *t);
/* A cancellation point: when due, `t` ends as canceled (its cleanup
 * handlers and destructors run, its join returns PTHREAD_CANCELED) and the
 * call does not return. The model's state must be consistent. */
void rc_cancel_point(rc_thread *t);
/* Per-thread alternate signal stack (stack overflows reach the crash
 * handler): set up when a thread starts, released when it finishes. */
void rc_signals_thread_start(void);
void rc_signals_thread_finish(void);

/* ---- fork_server.c (option fork_server, docs/fork-server.md) ---- */
/* At main: serve schedules when asked; returns in each served child (and
 * at once when the option is off). */
void rc_fork_server_serve(void);
/* A served child wrote its record: tell the server the finding count. */
void rc_fork_server_note_record(int exit_status, int exit_signal);
/* Before libc's pthread_cancel (of a thread the model does not know). */
void rc_fork_server_before_real_cancel(void);

/* ---- affinity.c: a fork server's children run on one CPU, unseen ---- */
/* True once the process runs pinned to one CPU: park() yields the CPU
 * instead of spinning. */
extern bool rc_cpu_pinned;
/* The server, before its first fork: remember the mask the program is to
 * see; then either pin the server to the slot-th allowed CPU, or set
 * rc_affinity_pin_pending so that each child pins itself to its CPU at its
 * first pthread_create (rc_affinity_first_thread). */
void rc_affinity_capture(void);
void rc_affinity_pin_server(uint64_t slot);
extern bool rc_affinity_pin_pending;
void rc_affinity_first_thread(void);
/* A single run (not fork-served), at main: with option pin_cpu it pins
 * itself at its first pthread_create as a single server's child does. */
void rc_affinity_single_run(void);
/* A new thread, before it first waits for the token: note its kernel id. */
void rc_affinity_thread_start(rc_thread *t);

/* ---- handoff.c: passing the token and waiting for it ---- */
/* How many threads the latest decision could choose among. */
extern uint32_t rc_handoff_enabled_hint;
/* Gives the token to `t` (whoever holds it, on its behalf). */
void rc_unpark(rc_thread *t);
/* Waits until the token is given to `t`. `blocked`: `t` waits blocked in
 * the model, without a time-out. */
void rc_park(rc_thread *t, bool blocked);

/* ---- spurious_wakeups.c ----
 * Whether the condition-variable or futex wait being entered returns
 * without a wake-up (option spurious_wakeups; a choice of the strategy's
 * random stream, so seeded and replayed). When true the caller, having
 * released what it waits with, makes one scheduling point
 * (RC_OP_SPURIOUS_WAKEUP) where others may run, then returns as woken. */
bool rc_spurious_wakeup(void);

#endif /* RACECHECK_SCHED_INTERNAL_H */
