/* fork_server.c — the fork server of `racecheck run --schedules` (after
 * AFL's fork server): the program is started once, and at main, while it is
 * still single-threaded and before the first scheduling decision, it forks
 * one child per schedule instead of paying exec, dynamic loading and
 * start-up every time. Protocol and guarantees: docs/fork-server.md.
 *
 * Why at main (not at the first pthread_create): whatever main does before
 * its first pthread_create (printing, reading input) is then part of every
 * child, exactly as in a fresh process; and nothing before main depends on
 * the seed, because the strategy only starts at main (rc_schedule_begin), so
 * the state a child inherits — thread table (T0 only), virtual time, the
 * arena, the shadow, the step counter — equals that of a fresh process at
 * main. The server is its children's watchdog (no watchdog thread per
 * child). When a constructor already started a thread the server refuses,
 * and racecheck falls back to one process per schedule.
 *
 * The server only uses raw system calls and glibc's _Fork (no atfork
 * handlers: an exec'd run never runs them either), and stays "finalized"
 * while it serves so that nothing it does can write a run record. */
#include "sched/scheduler.h"
#include "sched/task_state.h"
#include "core/options_env.h"
#include "record/schedule.h"
#include "racecheck/fork_server_protocol.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int request_fd = -1, response_fd = -1;
static rc_fork_summary *summary; /* set in the server and its children */
static volatile pid_t serving_child;
static volatile sig_atomic_t stop_requested;

static const int kForwardedSignals[] = {SIGTERM, SIGHUP};
static const int kIgnoredSignals[] = {SIGINT, SIGQUIT};
static struct sigaction saved_actions[4]; /* forwarded, then ignored */
static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);

static bool write_all(int fd, const char *text, size_t len) {
  while (len > 0) {
    long n = rc_raw_syscall(SYS_write, fd, (long)text, (long)len, 0, 0, 0);
    if (n == -4 /* EINTR */)
      continue;
    if (n <= 0)
      return false;
    text += n;
    len -= (size_t)n;
  }
  return true;
}

static void reply(const char *text) {
  if (!write_all(response_fd, text, strlen(text)))
    rc_raw_syscall(SYS_exit_group, 0, 0, 0, 0, 0, 0); /* the CLI is gone */
}

/* One request line (without its '\n') into buf; false at end of input.
 * Reads in blocks (the CLI writes a request at once and waits for its
 * reply), keeping what follows the line for the next call. */
static bool read_request(char *buf, size_t cap) {
  static char pending[RC_FORK_SERVER_REQUEST_MAX];
  static size_t have;
  for (;;) {
    char *nl = memchr(pending, '\n', have);
    if (nl) {
      size_t len = (size_t)(nl - pending);
      if (len + 1 > cap)
        return false;
      memcpy(buf, pending, len);
      buf[len] = 0;
      have -= len + 1;
      memmove(pending, nl + 1, have);
      return true;
    }
    if (have == sizeof pending)
      return false; /* longer than any request racecheck writes */
    long n = rc_raw_syscall(SYS_read, request_fd, (long)(pending + have),
                            (long)(sizeof pending - have), 0, 0, 0);
    if (n == -4 /* EINTR */) {
      if (stop_requested)
        return false;
      continue;
    }
    if (n <= 0)
      return false;
    have += (size_t)n;
  }
}

static bool count_task(int32_t tid, void *count) {
  (void)tid;
  ++*(int *)count;
  return false;
}

/* Threads of this process, from /proc/self/task (a constructor may have
 * started one behind the runtime's back, e.g. with clone). */
static int count_tasks(void) {
  int tasks = 0;
  rc_task_each(0, count_task, &tasks);
  return tasks;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  rc_raw_syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0, 0);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- the watchdog of the served children ----
 * The server waits for its child anyway, so it is the child's watchdog too
 * (scheduler.c): it waits on a pidfd with a one-second timeout and looks at
 * the child's progress counters each second. When the child hangs, the
 * server sends it kWatchdogSignal with the seconds in si_value, and the
 * child's handler reports the hang as the watchdog thread would have.
 *
 * kWatchdogSignal is glibc's SIGCANCEL (the first real-time signal): the
 * program cannot install, query, block or send it through glibc (those
 * reject glibc's internal signals), and glibc only handles it itself once
 * the program calls pthread_cancel — which the child intercepts to start
 * the watchdog thread after all and tell the server to stop watching. */
static const int kWatchdogSignal = 32;
static pid_t server_pid;

#if defined(__x86_64__)
/* glibc's sigaction refuses kWatchdogSignal: the raw call needs its own
 * sigreturn trampoline (declared in runtime.h). */
__asm__(".text\n"
        ".globl rc_watchdog_signal_return\n"
        ".hidden rc_watchdog_signal_return\n" /* also cancel.c's */
        ".type rc_watchdog_signal_return, @function\n"
        "rc_watchdog_signal_return:\n"
        "  mov $15, %eax\n" /* rt_sigreturn */
        "  syscall\n"
        ".size rc_watchdog_signal_return, .-rc_watchdog_signal_return\n");
#define RC_HAVE_WATCHDOG_SIGNAL 1
#endif

static void on_watchdog_signal(int sig, siginfo_t *info, void *context) {
  (void)sig;
  (void)context;
  /* Only the server's signal, and never in the program's own fork children
   * (the server watches only its child). */
  if (info->si_code != SI_QUEUE || info->si_pid != server_pid ||
      g_rt.fork_child || !rc_watchdog_by_server)
    return;
  /* As from the watchdog thread: not on behalf of a program thread. */
  rc_self = 0;
  /* The milliseconds, twice, plus one for a stuck run (signal_hang). */
  uint64_t value = (uint64_t)info->si_value.sival_int;
  rc_watchdog_report_hang(value / 2,
                          value & 1 ? RC_HANG_STUCK : RC_HANG_SPINNING);
}

/* In the server, before the first fork: whether it can watch its children
 * (pidfds, Linux 5.3), and the children's handler for the server's signal. */
static bool can_watch_children(void) {
#ifndef RC_HAVE_WATCHDOG_SIGNAL
  return false; /* the children run the watchdog thread */
#else
  long fd = rc_raw_syscall(SYS_pidfd_open, server_pid, 0, 0, 0, 0, 0);
  if (fd < 0)
    return false;
  rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
  struct {
    void *handler;
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
  } action = {(void *)on_watchdog_signal,
              SA_SIGINFO | SA_RESTART | 0x04000000 /* SA_RESTORER */,
              rc_watchdog_signal_return, ~(uint64_t)0};
  return rc_raw_syscall(SYS_rt_sigaction, kWatchdogSignal, (long)&action, 0, 8,
                        0, 0) == 0;
#endif
}

/* Tells the child `pid` it hung: `value` is the milliseconds without
 * progress times two, plus one when the run is stuck in the kernel. */
static void signal_hang(pid_t pid, uint64_t value) {
  siginfo_t info;
  memset(&info, 0, sizeof info);
  info.si_signo = kWatchdogSignal;
  info.si_code = SI_QUEUE;
  info.si_pid = server_pid;
  info.si_uid = (uid_t)rc_raw_syscall(SYS_getuid, 0, 0, 0, 0, 0, 0);
  info.si_value.sival_int = (int)value;
  rc_raw_syscall(SYS_rt_sigqueueinfo, pid, kWatchdogSignal, (long)&info, 0, 0,
                 0);
}

/* Waits until child `pid` ended and returns its wait status; meanwhile it
 * is the child's watchdog, once a second, unless the child took that job
 * back (pthread_cancel). Sleeps on a pidfd; without one (out of
 * descriptors) it polls every millisecond. */
static int wait_for_child(pid_t pid) {
  long pidfd = rc_watchdog_by_server
                   ? rc_raw_syscall(SYS_pidfd_open, pid, 0, 0, 0, 0, 0)
                   : -1;
  int status = 0;
  if (rc_watchdog_by_server) {
    rc_watchdog watchdog;
    memset(&watchdog, 0, sizeof watchdog);
    bool signalled = false;
    const long step_ns = pidfd >= 0 ? 1000000000 : 1000000;
    long waited_ns = 0;
    for (;;) {
      struct timespec timeout = {step_ns / 1000000000, step_ns % 1000000000};
      if (pidfd >= 0) {
        struct pollfd ready = {(int)pidfd, POLLIN, 0};
        long r =
            rc_raw_syscall(SYS_ppoll, (long)&ready, 1, (long)&timeout, 0, 8, 0);
        if (r == 1)
          break; /* it ended: reap it below */
        if (r != 0)
          continue; /* EINTR: a forwarded signal */
      } else {
        if (rc_raw_syscall(SYS_wait4, pid, (long)&status, WNOHANG, 0, 0, 0) ==
            pid)
          return status;
        rc_raw_syscall(SYS_nanosleep, (long)&timeout, 0, 0, 0, 0, 0);
      }
      waited_ns += step_ns;
      if (waited_ns < 1000000000)
        continue;
      waited_ns = 0;
      if (signalled ||
          __atomic_load_n(&summary->watchdog_in_child, __ATOMIC_ACQUIRE))
        continue;
      uint64_t still = rc_watchdog_check_child(pid, &watchdog, 1000);
      if (still) {
        signal_hang(pid, still * 2 + (watchdog.kind == RC_HANG_STUCK));
        signalled = true;
      }
    }
    rc_raw_syscall(SYS_close, pidfd, 0, 0, 0, 0, 0);
  }
  long r;
  do
    r = rc_raw_syscall(SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
  while (r == -4 /* EINTR */);
  return status;
}

/* The served child takes its watchdog back: from then on it runs the
 * watchdog thread itself and the server stops watching it. */
void rc_fork_server_watchdog_to_child(void) {
  if (rc_watchdog_by_server && summary && !g_rt.fork_child) {
    __atomic_store_n(&summary->watchdog_in_child, 1, __ATOMIC_RELEASE);
    rc_watchdog_take_back();
  }
}

/* glibc installs its own handler for kWatchdogSignal at the first real
 * pthread_cancel: the child must watch itself from then on. */
void rc_fork_server_before_real_cancel(void) {
  rc_fork_server_watchdog_to_child();
}

static void forward_to_child(int sig) {
  stop_requested = 1;
  if (serving_child > 0)
    rc_raw_syscall(SYS_kill, serving_child, sig, 0, 0, 0, 0);
}

static void install_server_signals(void) {
  RC_REAL(real_sigaction, "sigaction");
  struct sigaction forward, ignore;
  memset(&forward, 0, sizeof forward);
  memset(&ignore, 0, sizeof ignore);
  forward.sa_handler = forward_to_child;
  ignore.sa_handler = SIG_IGN;
  for (int i = 0; i < 2; i++)
    real_sigaction(kForwardedSignals[i], &forward, &saved_actions[i]);
  /* ^C reaches the child, which is in the same process group; the server
   * reports how it ended. */
  for (int i = 0; i < 2; i++)
    real_sigaction(kIgnoredSignals[i], &ignore, &saved_actions[2 + i]);
}

static void restore_signals(void) {
  for (int i = 0; i < 2; i++)
    real_sigaction(kForwardedSignals[i], &saved_actions[i], 0);
  for (int i = 0; i < 2; i++)
    real_sigaction(kIgnoredSignals[i], &saved_actions[2 + i], 0);
}

/* Puts `path` on descriptor `target` ("-": leave it as the server's). */
static void redirect(const char *path, int target, int flags) {
  if (strcmp(path, RC_FORK_SERVER_INHERITED) == 0)
    return;
  long fd = rc_raw_syscall(SYS_openat, AT_FDCWD, (long)path, flags | O_CLOEXEC,
                           0644, 0, 0);
  if (fd < 0)
    rc_fatal("fork server: cannot open %s for descriptor %d (error %ld)", path,
             target, -fd);
  rc_raw_syscall(SYS_dup3, fd, target, 0, 0, 0, 0); /* without O_CLOEXEC */
  rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
}

/* Options a request may not change: they shaped the process before main
 * (T0's preemption budget, the address space) or select another mode.
 * (fork_server itself is dropped from a child's options.) */
static void check_unchanged(const rc_options *before) {
  const rc_options *now = &g_rt.options;
  const char *changed = 0;
  if (now->preempt_budget != before->preempt_budget)
    changed = "preempt_budget";
  else if (now->disable_aslr != before->disable_aslr)
    changed = "disable_aslr";
  else if (strcmp(now->replay, before->replay) != 0)
    changed = "replay";
  if (changed)
    rc_fatal("fork server: a request may not change the option %s (it takes "
             "effect before main); start another server",
             changed);
}

/* Replaces the kept RACECHECK_OPTIONS by the server's value
 * without the items racecheck adds for the server only (fork_server,
 * fork_server_slot), followed by `request`; returns the new value. */
static const char *child_environment_options(const char *request) {
  /* Kept out of the environment (core/options_env.h): an exec of the run
   * itself passes the run's options on. */
  const char *server =
      rc_options_env_entry() ? rc_options_env_entry() + 18 : "";
  size_t size = 18 + strlen(server) + 1 + strlen(request) + 1;
  char *text = rc_alloc(size), *out = text + 18;
  memcpy(text, "RACECHECK_OPTIONS=", 18);
  for (const char *p = server; *p;) { /* copy every item but those */
    const char *end = p + strcspn(p, ": \t\n");
    if (end > p && strncmp(p, "fork_server=", 12) != 0 &&
        strncmp(p, "fork_server_slot=", 17) != 0) {
      if (out > text + 18)
        *out++ = ':';
      memcpy(out, p, (size_t)(end - p));
      out += end - p;
    }
    p = *end ? end + 1 : end;
  }
  if (*request && out > text + 18)
    *out++ = ':';
  strcpy(out, request);
  rc_options_env_set(text);
  return text + 18;
}

/* In the child: become the run the request describes. Fields: stdin,
 * stdout, stderr paths ("-": inherited), then RACECHECK_OPTIONS-style
 * options that override the server's. */
static void become_child(char *stdin_path, char *stdout_path, char *stderr_path,
                         const char *options) {
  rc_raw_syscall(SYS_close, request_fd, 0, 0, 0, 0, 0);
  rc_raw_syscall(SYS_close, response_fd, 0, 0, 0, 0, 0);
  restore_signals();
  /* A run does not outlive its server (which does not outlive racecheck):
   * nobody would read its record. */
  rc_raw_syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, 0);
  if (rc_raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0) != server_pid)
    rc_raw_syscall(SYS_exit_group, 127, 0, 0, 0, 0, 0);
  redirect(stdin_path, 0, O_RDONLY);
  redirect(stdout_path, 1, O_WRONLY | O_CREAT | O_TRUNC);
  redirect(stderr_path, 2, O_WRONLY | O_CREAT | O_TRUNC);
  /* Still inert (finalized): an invalid option exits with status 2 and no
   * record, as in a fresh process. */
  /* The options a fresh process would have: defaults, then the
   * RACECHECK_OPTIONS racecheck would have given it — the server's without
   * fork_server, then the request's, which win. The environment says the
   * same, for the program and the processes it starts. */
  rc_options before = g_rt.options;
  rc_flags_set_defaults(&g_rt.options);
  rc_flags_parse(&g_rt.options, child_environment_options(options));
  check_unchanged(&before);
  rc_select_strategy();
  memset(summary, 0, sizeof *summary);
  g_rt.finalized = false;
}

/* Splits "a\tb\tc\td\trest" into 4 fields and the rest, in place. */
static bool split_request(char *line,
                          char *fields[RC_FORK_SERVER_REQUEST_FIELDS]) {
  fields[0] = line;
  for (int i = 1; i < RC_FORK_SERVER_REQUEST_FIELDS; i++) {
    char *tab = strchr(fields[i - 1], '\t');
    if (!tab)
      return false;
    *tab = 0;
    fields[i] = tab + 1;
  }
  return true;
}

static bool parse_fd_pair(const char *text, int *in, int *out) {
  char *end;
  long a = strtol(text, &end, 10);
  if (end == text || *end != ',')
    return false;
  const char *second = end + 1;
  long b = strtol(second, &end, 10);
  if (end == second || *end || a < 0 || b < 0 || a > 65535 || b > 65535)
    return false;
  *in = (int)a;
  *out = (int)b;
  return true;
}

void rc_fork_server_serve(void) {
  if (!g_rt.options.fork_server[0]) {
    rc_affinity_single_run(); /* a single run is serialized the same way */
    return;
  }
  if (!parse_fd_pair(g_rt.options.fork_server, &request_fd, &response_fd))
    rc_fatal("fork_server=%s: expected READ_FD,WRITE_FD",
             g_rt.options.fork_server);
  if (g_rt.options.replay[0])
    rc_fatal("fork_server: a replay is one run; it is not served");
  char line[256];
  int tasks = count_tasks();
  if (g_rt.n_threads != 1 || tasks != 1) {
    snprintf(line, sizeof line,
             RC_FORK_SERVER_GREETING " %d " RC_FORK_SERVER_REFUSED
                                     "%s before main\n",
             RC_FORK_SERVER_PROTOCOL_VERSION,
             g_rt.n_threads != 1 ? "a constructor created a thread"
                                 : "another thread was running");
    reply(line);
    rc_raw_syscall(SYS_exit_group, 0, 0, 0, 0, 0, 0);
  }
  static pid_t (*real_fork)(void);
  if (!real_fork)
    *(void **)&real_fork = dlsym(RTLD_NEXT, "_Fork");
  if (!real_fork) /* glibc before 2.34 */
    RC_REAL(real_fork, "fork");
  summary = (rc_fork_summary *)rc_raw_syscall(
      SYS_mmap, 0, RC_FORK_SERVER_PAGE_SIZE, PROT_READ | PROT_WRITE,
      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if ((long)summary < 0 && (long)summary > -4096)
    rc_fatal("fork server: cannot map the summary page");
  install_server_signals();
  server_pid = (pid_t)rc_raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
  rc_watchdog_by_server = can_watch_children();
  /* Children run on one CPU (affinity.c): the slot's, inherited from the
   * server, or with a single server the one each child runs on when it
   * creates its first thread. */
  if (g_rt.options.fork_server_pin) {
    rc_affinity_capture();
    if (g_rt.options.fork_server_slot)
      rc_affinity_pin_server(g_rt.options.fork_server_slot - 1);
    else
      rc_affinity_pin_pending = true; /* inherited by every child */
  }
  /* Computed once here, inherited by every child (each schedule file
   * names the binary). */
  rc_binary_identity();
  /* Inert while serving: nothing here may write a record. */
  g_rt.finalized = true;
  fflush(NULL); /* what constructors printed goes out once, not per child */
  snprintf(line, sizeof line,
           RC_FORK_SERVER_GREETING " %d " RC_FORK_SERVER_READY "\n",
           RC_FORK_SERVER_PROTOCOL_VERSION);
  reply(line);
  static char request[RC_FORK_SERVER_REQUEST_MAX];
  while (!stop_requested && read_request(request, sizeof request)) {
    char *fields[RC_FORK_SERVER_REQUEST_FIELDS];
    if (!split_request(request, fields) ||
        strcmp(fields[0], RC_FORK_SERVER_RUN) != 0) {
      reply(RC_FORK_SERVER_ERROR "malformed request\n");
      continue;
    }
    memset(summary, 0, sizeof *summary);
    uint64_t start = now_ns();
    pid_t pid = real_fork();
    if (pid == 0) {
      become_child(fields[1], fields[2], fields[3], fields[4]);
      return; /* on to main */
    }
    if (pid < 0) {
      reply(RC_FORK_SERVER_ERROR "fork failed\n");
      continue;
    }
    uint64_t forked = now_ns();
    serving_child = pid;
    int status = wait_for_child(pid);
    serving_child = 0;
    uint64_t ended = now_ns();
    snprintf(line, sizeof line, RC_FORK_SERVER_STATUS_FORMAT "\n", status,
             summary->written, summary->findings, summary->lock_cycle,
             summary->exit_status, summary->exit_signal,
             (unsigned long long)summary->steps,
             (unsigned long long)summary->switches,
             (unsigned long long)(forked - start),
             (unsigned long long)(ended - start));
    reply(line);
  }
  rc_raw_syscall(SYS_exit_group, 0, 0, 0, 0, 0, 0);
}

/* Does the graph "held lock -> requested lock" of lock_order.c have a
 * cycle? Without one the analyzer cannot report a lock-order cycle, and the
 * CLI may skip reading the record. Kahn's algorithm over a CSR copy. */
static bool lock_graph_has_cycle(void) {
  uint32_t n = rc_lock_count(), m = rc_lock_edge_count();
  if (m == 0)
    return false;
  uint32_t *out_start = rc_alloc((n + 2) * sizeof(uint32_t));
  uint32_t *targets = rc_alloc(m * sizeof(uint32_t));
  uint32_t *indegree = rc_alloc((n + 1) * sizeof(uint32_t));
  uint32_t *queue = rc_alloc((n + 1) * sizeof(uint32_t));
  bool cycle = false;
  for (uint32_t i = 0; i < m && !cycle; i++) {
    const rc_lock_edge *e = rc_lock_edge_get(i);
    if (e->held_lock >= n || e->lock >= n || e->held_lock == e->lock)
      cycle = true; /* unknown ids or a self edge: let the analyzer judge */
    else
      out_start[e->held_lock + 1]++;
  }
  if (!cycle) {
    for (uint32_t v = 0; v < n; v++)
      out_start[v + 1] += out_start[v];
    uint32_t *fill = rc_alloc((n + 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < m; i++) {
      const rc_lock_edge *e = rc_lock_edge_get(i);
      targets[out_start[e->held_lock] + fill[e->held_lock]++] = e->lock;
      indegree[e->lock]++;
    }
    rc_free(fill, (n + 1) * sizeof(uint32_t));
    uint32_t head = 0, tail = 0, removed = 0;
    for (uint32_t v = 0; v < n; v++)
      if (indegree[v] == 0)
        queue[tail++] = v;
    while (head < tail) {
      uint32_t v = queue[head++];
      removed++;
      for (uint32_t k = out_start[v]; k < out_start[v + 1]; k++)
        if (--indegree[targets[k]] == 0)
          queue[tail++] = targets[k];
    }
    cycle = removed < n;
  }
  rc_free(out_start, (n + 2) * sizeof(uint32_t));
  rc_free(targets, m * sizeof(uint32_t));
  rc_free(indegree, (n + 1) * sizeof(uint32_t));
  rc_free(queue, (n + 1) * sizeof(uint32_t));
  return cycle;
}

void rc_fork_server_note_record(int exit_status, int exit_signal) {
  if (!summary || g_rt.fork_child) /* the program's own fork children */
    return;
  summary->findings = g_rt.n_findings;
  summary->lock_cycle = lock_graph_has_cycle();
  summary->exit_status = exit_status;
  summary->exit_signal = exit_signal;
  summary->steps = g_rt.steps;
  summary->switches = g_rt.switches;
  __atomic_store_n(&summary->written, 1, __ATOMIC_RELEASE);
}
