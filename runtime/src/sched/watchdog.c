/* watchdog.c — the watchdog of a run: it watches the step and event
 * counters; a thread spinning in uninstrumented code never reaches a
 * scheduling point and would otherwise hang the run silently. In a process of
 * its own it is a raw thread (not registered, invisible to the program),
 * started at the first pthread_create. A fork server's child has none: the
 * server, which waits for the child anyway, reads the same counters from the
 * child's memory once a second (rc_watchdog_check_child, same addresses after
 * fork) and, when the child hangs, has it report the hang
 * (rc_watchdog_report_hang) — one thread creation less per schedule. Both judge
 * with watchdog_tick. */
#include "sched/scheduler.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

/* What the watchdog looks at, once a second. */
typedef struct rc_watchdog_view {
  uint64_t steps, events;
  bool has_current;     /* some thread holds the token */
  bool current_outside; /* ... and it is away in real I/O */
  uint32_t alive;       /* threads not finished */
  bool waiting_for_io;  /* the token holder waits for an I/O return */
  uint64_t watchdog_seconds;
} rc_watchdog_view;

/* One second passed: true when the run is hung, i.e. quiet for
 * watchdog_seconds seconds in a row while a thread holds the token and
 * another one waits for it. */
static bool watchdog_tick(rc_watchdog *w, const rc_watchdog_view *v) {
  bool quiet = v->steps == w->last_steps && v->events == w->last_events;
  w->last_steps = v->steps;
  w->last_events = v->events;
  if (!quiet || !v->has_current || v->alive < 2 || v->waiting_for_io ||
      v->current_outside) {
    w->still = 0;
    return false;
  }
  return ++w->still >= v->watchdog_seconds;
}

static void *watchdog_main(void *arg) {
  (void)arg;
  rc_watchdog w = {g_rt.steps, g_rt.events, 0, true};
  for (;;) {
    struct timespec one_second = {1, 0};
    rc_raw_syscall(SYS_nanosleep, (long)&one_second, 0, 0, 0, 0, 0);
    if (g_rt.finalized)
      return 0;
    rc_watchdog_view v = {0};
    v.steps = __atomic_load_n(&g_rt.steps, __ATOMIC_RELAXED);
    v.events = __atomic_load_n(&g_rt.events, __ATOMIC_RELAXED);
    rc_thread *current = __atomic_load_n(&g_rt.current, __ATOMIC_RELAXED);
    v.has_current = current != 0;
    v.current_outside = current && current->status == RC_THREAD_OUTSIDE;
    for (uint32_t i = 0; i < g_rt.n_threads; i++)
      if (g_rt.threads[i]->status != RC_THREAD_FINISHED)
        v.alive++;
    v.waiting_for_io =
        __atomic_load_n(&rc_waiting_for_io, __ATOMIC_RELAXED) != 0;
    v.watchdog_seconds = g_rt.options.watchdog_seconds;
    if (watchdog_tick(&w, &v))
      rc_watchdog_report_hang(w.still);
  }
}

bool rc_watchdog_by_server;
/* Set in a served child when the watchdog would have started: the server
 * begins to count then (read by rc_watchdog_check_child). */
static volatile bool watchdog_armed;
/* The counters then: the server's first comparison is against them, as the
 * thread's would be. */
static uint64_t armed_steps, armed_events;
static bool watchdog_started;

static void start_watchdog_thread(void) {
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

/* Called at every pthread_create of the program, before the thread
 * exists. */
void rc_watchdog_start(void) {
  /* A served child's first thread is also when it pins itself to its CPU
   * (affinity.c). */
  rc_affinity_first_thread();
  if (watchdog_started || g_rt.options.watchdog_seconds == 0)
    return;
  watchdog_started = true;
  /* The program's own fork children are not watched by the server. */
  if (rc_watchdog_by_server && !g_rt.fork_child) {
    armed_steps = g_rt.steps;
    armed_events = g_rt.events;
    __atomic_store_n(&watchdog_armed, true, __ATOMIC_RELEASE);
  } else
    start_watchdog_thread();
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

uint64_t rc_watchdog_check_child(int pid, rc_watchdog *w) {
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
    *w = (rc_watchdog){steps_then, events_then, 0, true};
  rc_watchdog_view v = {0};
  v.steps = rt.steps;
  v.events = rt.events;
  v.has_current = rt.current != 0;
  v.waiting_for_io = io_waiters != 0;
  v.watchdog_seconds = rt.options.watchdog_seconds;
  /* The threads' states, a batch of pointers then their status fields. */
  enum { BATCH = 256 };
  for (uint32_t first = 0; first < rt.n_threads; first += BATCH) {
    uint32_t n = rt.n_threads - first < BATCH ? rt.n_threads - first : BATCH;
    rc_thread *threads[BATCH];
    rc_thread_status status[BATCH];
    struct iovec l1 = {threads, n * sizeof threads[0]};
    struct iovec r1 = {rt.threads + first, n * sizeof threads[0]};
    if (!read_child(pid, &l1, &r1, 1))
      return 0;
    struct iovec ls[BATCH], rs[BATCH];
    for (uint32_t i = 0; i < n; i++) {
      ls[i] = (struct iovec){&status[i], sizeof status[i]};
      rs[i] = (struct iovec){&threads[i]->status, sizeof status[i]};
    }
    if (!read_child(pid, ls, rs, n))
      return 0;
    for (uint32_t i = 0; i < n; i++) {
      if (status[i] != RC_THREAD_FINISHED)
        v.alive++;
      if (threads[i] == rt.current)
        v.current_outside = status[i] == RC_THREAD_OUTSIDE;
    }
  }
  return watchdog_tick(w, &v) ? w->still : 0;
}
