/* watchdog.c — the watchdog of a run, a raw thread (not registered,
 * invisible to the program) that exists from main on, or from the first
 * pthread_create of a constructor. Every RC_WATCH_PERIOD_MS it
 *  - looks at the token holder: one that has reached no scheduling point
 *    for RC_TAKE_AFTER_MS while the kernel says it sleeps in a system call
 *    that is not the runtime's own (libc's read under getline, a raw
 *    syscall, a library built without racecheck) has its token taken, so
 *    that the others go on (scheduler.c, rc_schedule_take_token); one
 *    whose kernel task is gone (a raw SYS_exit) is finished;
 *  - judges the run as a whole: no progress for the bound (watchdog_ms, or
 *    watchdog_seconds) while a thread spins in uninstrumented code and
 *    another waits for it, or while every thread is blocked in the kernel
 *    or waits for one that is, is a `hang` finding (detect/hang.c).
 * A fork server's single-threaded child has no thread: the server, which
 * waits for the child anyway, reads the same counters from the child's
 * memory (rc_watchdog_check_child, same addresses after fork) and has it
 * report (rc_watchdog_report_hang). At its first pthread_create a served
 * child starts the thread after all, for only an in-process thread can
 * take a token. Both judge with watchdog_tick. Nothing here takes a lock a
 * program thread may hold: raw system calls, no stdio, no malloc. */
#include "sched/scheduler.h"
#include "sched/task_state.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

/* Cheap: a tick loads a few counters; /proc is read only once the holder
 * has been quiet for a period. */
#define RC_WATCH_PERIOD_MS 10
/* A holder quiet this long in a sleeping system call loses the token. Far
 * above a scheduling point's cost (microseconds), far below anything a user
 * would call a hang. */
#define RC_TAKE_AFTER_MS 20

/* What the judgement looks at. */
typedef struct rc_watchdog_view {
  uint64_t steps, events;
  bool has_current;      /* some thread holds the token */
  bool current_outside;  /* ... and it is away in real I/O */
  uint32_t alive;        /* threads not finished */
  uint32_t outside;      /* ... of which away in the kernel (OUTSIDE) */
  uint32_t blocked;      /* ... of which blocked in a modelled wait */
  bool waiting_for_io;   /* the token holder waits for an I/O return */
  bool holder_in_kernel; /* the (enabled) holder sleeps in the kernel */
  bool waits_outside;    /* a thread waits for a child process or a tty */
  uint64_t bound_ms;
  int32_t pid; /* the run's process, 0: ours */
} rc_watchdog_view;

static uint64_t bound_ms_of(const rc_options *o) {
  return o->watchdog_ms ? o->watchdog_ms : o->watchdog_seconds * 1000;
}

/* `elapsed_ms` passed: the kind of hang when the run is hung, i.e. quiet
 * for the bound while a thread holds the token (in user space) and another
 * one waits for it, or while every live thread is in the kernel or in a
 * modelled wait and nobody could wake them. */
static rc_hang_kind watchdog_tick(rc_watchdog *w, const rc_watchdog_view *v,
                                  uint64_t elapsed_ms) {
  bool quiet = v->steps == w->last_steps && v->events == w->last_events;
  w->last_steps = v->steps;
  w->last_events = v->events;
  bool spinning = v->has_current && v->alive >= 2 && !v->waiting_for_io &&
                  !v->current_outside && !v->holder_in_kernel;
  uint32_t in_kernel = v->outside + v->holder_in_kernel;
  bool stuck = in_kernel > 0 && in_kernel + v->blocked == v->alive &&
               (!v->has_current || v->waiting_for_io || v->holder_in_kernel) &&
               !v->waits_outside;
  w->kind = stuck ? RC_HANG_STUCK : RC_HANG_SPINNING;
  if (!quiet || (!spinning && !stuck) || v->bound_ms == 0) {
    w->still = 0;
    return RC_HANG_NONE;
  }
  w->still += elapsed_ms;
  if (w->still < v->bound_ms)
    return RC_HANG_NONE;
  /* A run waiting in the kernel while a child process lives may be waiting
   * for it (its exit, its output, a signal it sends): judged again a bound
   * later. Asked only then: /proc is read once per bound, not per tick. */
  if (w->kind == RC_HANG_STUCK && rc_task_process_has_children(v->pid)) {
    w->still = 0;
    return RC_HANG_NONE;
  }
  return w->kind;
}

/* ---- the in-process thread ---- */

/* The holder as last seen, to tell a quiet one. */
typedef struct holder_watch {
  rc_thread *holder;
  uint64_t steps, events;
  uint32_t budget, depth;
  const rc_site *site;
  uint32_t quiet_ms;
} holder_watch;

static bool holder_moved(holder_watch *h, rc_thread *t) {
  holder_watch now = {t,
                      __atomic_load_n(&g_rt.steps, __ATOMIC_RELAXED),
                      __atomic_load_n(&g_rt.events, __ATOMIC_RELAXED),
                      __atomic_load_n(&t->budget, __ATOMIC_RELAXED),
                      __atomic_load_n(&t->depth, __ATOMIC_RELAXED),
                      __atomic_load_n(&t->last_site, __ATOMIC_RELAXED),
                      0};
  bool moved = now.holder != h->holder || now.steps != h->steps ||
               now.events != h->events || now.budget != h->budget ||
               now.depth != h->depth || now.site != h->site;
  if (moved)
    *h = now;
  return moved;
}

/* Takes the token from `t`, which holds it and has been quiet for
 * RC_TAKE_AFTER_MS. Returns whether it did. */
static bool take_token(rc_thread *t) {
  int32_t tid = __atomic_load_n(&rc_ext(t)->kernel_tid, __ATOMIC_ACQUIRE);
  uint32_t *away = &rc_ext(t)->away;
  if (tid <= 0 || t->status != RC_THREAD_ENABLED)
    return false;
  if (rc_task_gone(tid)) {
    /* It ended without telling us (a raw exit): it finished. */
    uint32_t was = __atomic_load_n(away, __ATOMIC_ACQUIRE);
    if (was >= RC_AWAY_TAKING ||
        !__atomic_compare_exchange_n(away, &was, RC_AWAY_TAKING, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      return false;
    rc_thread *holder = t;
    if (!__atomic_compare_exchange_n(&g_rt.current, &holder, (rc_thread *)0,
                                     false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
      __atomic_store_n(away, was, __ATOMIC_RELEASE);
      return false;
    }
    rc_schedule_take_token(t, true);
    return true;
  }
  if (rc_task_state(tid) != 'S')
    return false; /* running (a spin: judged below), or a disk wait */
  rc_task_syscall before;
  if (!rc_task_syscall_of(tid, &before) || before.number < 0)
    return false;
  uint32_t expected = RC_AWAY_IN_SYSCALL;
  if (__atomic_compare_exchange_n(away, &expected, RC_AWAY_TAKING, false,
                                  __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    /* A system call the syscall interceptor marked: it checks its mark
     * before it touches runtime state again. */
    __atomic_store_n(&g_rt.current, (rc_thread *)0, __ATOMIC_RELEASE);
    rc_schedule_take_token(t, false);
    return true;
  }
  /* The runtime's own waits (the holder waiting for I/O returners, a real
   * call an interceptor makes) are not the program's. */
  if (expected != RC_AWAY_NO || before.pc == (uintptr_t)rc_raw_syscall_return)
    return false;
  /* Commit, then hide the token from t's instrumented code, then make sure
   * t did not come back meanwhile: it is still asleep in the same call,
   * so whatever it runs next sees that it lost the token. */
  if (!__atomic_compare_exchange_n(away, &expected, RC_AWAY_TAKING, false,
                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    return false;
  rc_thread *holder = t;
  if (__atomic_compare_exchange_n(&g_rt.current, &holder, (rc_thread *)0, false,
                                  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    rc_task_syscall after;
    if (rc_task_state(tid) == 'S' && rc_task_syscall_of(tid, &after) &&
        after.number == before.number && after.pc == before.pc &&
        after.sp == before.sp) {
      rc_schedule_take_token(t, false);
      return true;
    }
    __atomic_store_n(&g_rt.current, t, __ATOMIC_SEQ_CST);
  }
  __atomic_store_n(away, RC_AWAY_NO, __ATOMIC_RELEASE);
  return false;
}

/* The run as a whole, for the judgement. */
static void look_at_run(rc_watchdog_view *v) {
  v->steps = __atomic_load_n(&g_rt.steps, __ATOMIC_RELAXED);
  v->events = __atomic_load_n(&g_rt.events, __ATOMIC_RELAXED);
  rc_thread *current = __atomic_load_n(&g_rt.current, __ATOMIC_RELAXED);
  v->has_current = current != 0;
  v->current_outside = current && current->status == RC_THREAD_OUTSIDE;
  uint32_t n = __atomic_load_n(&g_rt.n_threads, __ATOMIC_ACQUIRE);
  for (uint32_t i = 0; i < n; i++) {
    rc_thread *t = g_rt.threads[i];
    rc_thread_status status = __atomic_load_n(&t->status, __ATOMIC_RELAXED);
    if (status == RC_THREAD_FINISHED)
      continue;
    v->alive++;
    if (status == RC_THREAD_BLOCKED)
      v->blocked++;
    if (status != RC_THREAD_OUTSIDE)
      continue;
    v->outside++;
    rc_task_syscall call;
    int32_t tid = __atomic_load_n(&rc_ext(t)->kernel_tid, __ATOMIC_ACQUIRE);
    if (tid > 0 && rc_task_syscall_of(tid, &call)) {
      if (rc_task_syscall_waits_outside(0, &call))
        v->waits_outside = true; /* not stuck: they may still end it */
    } else if (tid > 0 && !rc_ext(t)->gone && rc_task_gone(tid)) {
      rc_schedule_return_gone(t); /* it ended by a raw exit while away */
      v->outside--;
      v->alive--;
    }
  }
  v->waiting_for_io =
      __atomic_load_n(&rc_waiting_for_io, __ATOMIC_RELAXED) != 0;
  if (current && !v->waiting_for_io &&
      __atomic_load_n(&current->status, __ATOMIC_RELAXED) ==
          RC_THREAD_ENABLED) {
    int32_t tid =
        __atomic_load_n(&rc_ext(current)->kernel_tid, __ATOMIC_ACQUIRE);
    v->holder_in_kernel = tid > 0 && rc_task_state(tid) == 'S';
    rc_task_syscall call;
    if (v->holder_in_kernel && rc_task_syscall_of(tid, &call) &&
        rc_task_syscall_waits_outside(0, &call))
      v->waits_outside = true;
  }
  v->bound_ms = bound_ms_of(&g_rt.options);
}

static void *watchdog_main(void *arg) {
  (void)arg;
  rc_watchdog w = {g_rt.steps, g_rt.events, 0, true, RC_HANG_NONE};
  holder_watch h = {0};
  for (;;) {
    struct timespec period = {0, RC_WATCH_PERIOD_MS * 1000000L};
    rc_raw_syscall(SYS_nanosleep, (long)&period, 0, 0, 0, 0, 0);
    if (g_rt.finalized)
      return 0;
    rc_thread *current = __atomic_load_n(&g_rt.current, __ATOMIC_ACQUIRE);
    if (!current || holder_moved(&h, current) ||
        __atomic_load_n(&rc_waiting_for_io, __ATOMIC_RELAXED)) {
      h.quiet_ms = 0;
    } else if ((h.quiet_ms += RC_WATCH_PERIOD_MS) >= RC_TAKE_AFTER_MS &&
               take_token(current)) {
      h = (holder_watch){0};
      continue;
    }
    /* The judgement needs no /proc while the run moves. */
    if (__atomic_load_n(&g_rt.steps, __ATOMIC_RELAXED) != w.last_steps ||
        __atomic_load_n(&g_rt.events, __ATOMIC_RELAXED) != w.last_events) {
      w.last_steps = __atomic_load_n(&g_rt.steps, __ATOMIC_RELAXED);
      w.last_events = __atomic_load_n(&g_rt.events, __ATOMIC_RELAXED);
      w.still = 0;
      continue;
    }
    rc_watchdog_view v = {0};
    look_at_run(&v);
    rc_hang_kind kind = watchdog_tick(&w, &v, RC_WATCH_PERIOD_MS);
    if (kind != RC_HANG_NONE)
      rc_watchdog_report_hang(w.still, kind);
  }
}

bool rc_watchdog_by_server;
/* Set in a served child when the watchdog would have started: the server
 * begins to count then (read by rc_watchdog_check_child). */
static volatile bool watchdog_armed;
/* The counters then: the server's first comparison is against them, as the
 * thread's would be. */
static uint64_t armed_steps, armed_events;
static bool watchdog_started, thread_started;

static void start_watchdog_thread(void) {
  if (thread_started)
    return;
  thread_started = true;
  static int (*real_create)(pthread_t *, const pthread_attr_t *,
                            void *(*)(void *), void *);
  RC_REAL(real_create, "pthread_create");
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pthread_t tid;
  static int (*real_detach)(pthread_t);
  RC_REAL(real_detach, "pthread_detach");
  if (real_create(&tid, 0, watchdog_main, 0) == 0)
    real_detach(tid);
  pthread_sigmask(SIG_SETMASK, &old, 0);
}

/* At main (or the first pthread_create, whichever comes first), once. */
static void watchdog_begin(void) {
  if (watchdog_started)
    return;
  watchdog_started = true;
  if (rc_self)
    rc_ext(rc_self)->call_site_slot = &__racecheck_call_site;
  if (rc_self)
    __atomic_store_n(&rc_ext(rc_self)->kernel_tid,
                     (int32_t)rc_raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0),
                     __ATOMIC_RELEASE);
  if (bound_ms_of(&g_rt.options) == 0)
    return;
  /* The program's own fork children are not watched by the server. */
  if (rc_watchdog_by_server && !g_rt.fork_child) {
    armed_steps = g_rt.steps;
    armed_events = g_rt.events;
    __atomic_store_n(&watchdog_armed, true, __ATOMIC_RELEASE);
  } else
    start_watchdog_thread();
}

void rc_watchdog_start_at_main(void) { watchdog_begin(); }

/* Called at every pthread_create of the program, before the thread
 * exists. */
void rc_watchdog_start(void) {
  /* A served child's first thread is also when it pins itself to its CPU
   * (affinity.c). */
  rc_affinity_first_thread();
  watchdog_begin();
  /* Only a thread in the process can take the token from a holder blocked
   * in the kernel: a served child starts it at its second thread. */
  if (rc_watchdog_by_server && !g_rt.fork_child && watchdog_armed)
    rc_fork_server_watchdog_to_child();
}

void rc_watchdog_after_fork_child(void) {
  /* The parent's watchdog thread does not exist here. */
  thread_started = false;
  watchdog_started = false;
  watchdog_begin();
}

void rc_watchdog_take_back(void) {
  if (!rc_watchdog_by_server)
    return;
  rc_watchdog_by_server = false;
  if (watchdog_armed) {
    watchdog_armed = false;
    start_watchdog_thread();
  }
}

/* Reads `n` pieces of the child's memory (same addresses as ours). */
static bool read_child(int pid, struct iovec *local, struct iovec *remote,
                       unsigned long n) {
  size_t want = 0;
  for (unsigned long i = 0; i < n; i++)
    want += local[i].iov_len;
  return rc_raw_syscall(SYS_process_vm_readv, pid, (long)local, (long)n,
                        (long)remote, (long)n, 0) == (long)want;
}

/* The child's threads' states, a batch of pointers then their status
 * fields, into `v`. */
static bool read_child_threads(int pid, const rc_runtime *rt,
                               rc_watchdog_view *v) {
  rc_thread *holder = 0;
  enum { BATCH = 256 };
  for (uint32_t first = 0; first < rt->n_threads; first += BATCH) {
    uint32_t n = rt->n_threads - first < BATCH ? rt->n_threads - first : BATCH;
    rc_thread *threads[BATCH];
    rc_thread_status status[BATCH];
    struct iovec l1 = {threads, n * sizeof threads[0]};
    struct iovec r1 = {rt->threads + first, n * sizeof threads[0]};
    if (!read_child(pid, &l1, &r1, 1))
      return false;
    struct iovec ls[BATCH], rs[BATCH];
    for (uint32_t i = 0; i < n; i++) {
      ls[i] = (struct iovec){&status[i], sizeof status[i]};
      rs[i] = (struct iovec){&threads[i]->status, sizeof status[i]};
    }
    if (!read_child(pid, ls, rs, n))
      return false;
    for (uint32_t i = 0; i < n; i++) {
      if (status[i] == RC_THREAD_FINISHED)
        continue;
      v->alive++;
      v->outside += status[i] == RC_THREAD_OUTSIDE;
      v->blocked += status[i] == RC_THREAD_BLOCKED;
      if (threads[i] == rt->current) {
        v->current_outside = status[i] == RC_THREAD_OUTSIDE;
        if (status[i] == RC_THREAD_ENABLED)
          holder = threads[i];
      }
    }
  }
  /* The enabled holder's kernel state (no thread in the child takes the
   * token from it). */
  void *ext = 0;
  int32_t tid = 0;
  struct iovec l2 = {&ext, sizeof ext};
  struct iovec r2 = {holder ? &holder->user_data : 0, sizeof ext};
  if (holder && !v->waiting_for_io && read_child(pid, &l2, &r2, 1) && ext) {
    struct iovec l3 = {&tid, sizeof tid};
    struct iovec r3 = {&((rc_thread_ext *)ext)->kernel_tid, sizeof tid};
    v->holder_in_kernel = read_child(pid, &l3, &r3, 1) && tid > 0 &&
                          rc_task_state_in(pid, tid) == 'S';
    rc_task_syscall call;
    if (v->holder_in_kernel && rc_task_syscall_in(pid, tid, &call) &&
        rc_task_syscall_waits_outside(pid, &call))
      v->waits_outside = true;
  }
  return true;
}

uint64_t rc_watchdog_check_child(int pid, rc_watchdog *w, uint64_t elapsed_ms) {
  rc_runtime rt;
  bool armed;
  uint64_t io_waiters, steps_then, events_then;
  struct iovec local[5] = {{&rt, sizeof rt},
                           {&armed, sizeof armed},
                           {&io_waiters, sizeof io_waiters},
                           {&steps_then, sizeof steps_then},
                           {&events_then, sizeof events_then}};
  struct iovec remote[5] = {{&g_rt, sizeof rt},
                            {(void *)&watchdog_armed, sizeof armed},
                            {(void *)&rc_waiting_for_io, sizeof io_waiters},
                            {&armed_steps, sizeof steps_then},
                            {&armed_events, sizeof events_then}};
  if (!read_child(pid, local, remote, 5) || !armed || rt.finalized)
    return 0;
  if (!w->began) /* the thread would have started then */
    *w = (rc_watchdog){steps_then, events_then, 0, true, RC_HANG_NONE};
  rc_watchdog_view v = {0};
  v.steps = rt.steps;
  v.events = rt.events;
  v.has_current = rt.current != 0;
  v.waiting_for_io = io_waiters != 0;
  v.bound_ms = bound_ms_of(&rt.options);
  v.pid = pid;
  if (!read_child_threads(pid, &rt, &v))
    return 0;
  return watchdog_tick(w, &v, elapsed_ms) != RC_HANG_NONE ? w->still : 0;
}
