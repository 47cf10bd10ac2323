/* init.c — runtime start-up and shut-down: options, the main thread T0, the
 * strategy, the ABI check, and finalisation (write the record,
 * render the report through the racecheck tool, pick the exit status).
 *
 * Start-up runs from .preinit_array, i.e. before any constructor of the
 * program or of its libraries, so every constructor already runs serialized
 * as T0. __racecheck_init (called by each instrumented module's constructor)
 * only checks the ABI and counts modules. */
#include "sched/scheduler.h"
#include "core/finding_sink.h"
#include "core/child_channel.h"
#include "core/options_env.h"
#include "sched/strategy.h"
#include "detect/misuse.h"
#include "detect/starvation.h"
#include "sync/models.h"
#include "record/schedule.h"
#include "racecheck/record_format.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef RACECHECK_TOOL_PATH
#define RACECHECK_TOOL_PATH "racecheck"
#endif

rc_runtime g_rt;
extern char **environ;

void *rc_real(const char *name, const char *version) {
  void *fn =
      version ? dlvsym(RTLD_NEXT, name, version) : dlsym(RTLD_NEXT, name);
  if (!fn)
    rc_fatal("cannot find the libc function %s", name);
  return fn;
}

rc_thread *rc_thread_new(rc_tid parent) {
  if (g_rt.n_threads == g_rt.threads_cap) {
    uint32_t cap = g_rt.threads_cap ? g_rt.threads_cap * 2 : 16;
    g_rt.threads = rc_realloc(g_rt.threads, g_rt.threads_cap * sizeof(void *),
                              cap * sizeof(void *));
    g_rt.threads_cap = cap;
  }
  rc_thread *t = rc_alloc(sizeof *t);
  t->tid = g_rt.n_threads;
  t->parent = parent;
  rc_thread_set_status(t, RC_THREAD_CREATED);
  rc_vc_init(&t->vc);
  rc_vc_init(&t->fence_release);
  rc_vc_init(&t->fence_acquire);
  rc_thread_take_clock_slot(t,
                            parent < g_rt.n_threads ? g_rt.threads[parent] : 0);
  /* epochs start at 1 (0 means "never"), or above the slot's last thread */
  rc_vc_set(&t->vc, t->tid, t->clock_floor + 1);
  rc_thread_epoch_changed(t);
  uint64_t budget = g_rt.options.preempt_budget;
  t->budget =
      budget == 0 || budget > UINT32_MAX ? UINT32_MAX : (uint32_t)budget;
  t->user_data = rc_alloc(sizeof(rc_thread_ext));
  g_rt.threads[g_rt.n_threads++] = t;
  return t;
}

/* The main thread's stack: the mapping holding our own frame, read from
 * /proc/self/maps with raw syscalls (no stdio, no malloc this early). */
typedef struct rc_stack_search {
  uintptr_t here, *lo, *hi;
} rc_stack_search;

static bool holds_frame(char *line, void *ctx) {
  rc_stack_search *s = ctx;
  char *end;
  uintptr_t a = strtoull(line, &end, 16);
  uintptr_t b = *end == '-' ? strtoull(end + 1, 0, 16) : 0;
  if (a <= s->here && s->here < b) {
    *s->lo = a;
    *s->hi = b;
    return true;
  }
  return false;
}

static void main_stack_range(uintptr_t *lo, uintptr_t *hi) {
  rc_stack_search search = {(uintptr_t)__builtin_frame_address(0), lo, hi};
  rc_proc_maps_scan(holds_frame, &search);
}

static void finalize_at_exit(int status, void *arg);
static void finalize_at_quick_exit(void);
static void end_run_with_findings(rc_end_reason reason, int exit_signal);

/* g_rt.strategy from the options (also for each fork server child). */
void rc_select_strategy(void) {
  if (g_rt.options.replay[0]) /* also sets the recorded options */
    g_rt.strategy = rc_strategy_replay_setup(&g_rt.options);
  else {
    /* Lock-step schedules are part of random exploration, chosen by the
     * seed alone (schedule files record "lockstep", so replay needs no
     * rule). */
    uint64_t every = g_rt.options.lockstep_every;
    if (every && strcmp(g_rt.options.strategy, "random") == 0 &&
        g_rt.options.seed % every == every - 1)
      g_rt.options.strategy = "lockstep";
    g_rt.strategy = rc_strategy_by_name(g_rt.options.strategy, &g_rt.options);
  }
  /* After the replay setup, which sets the recorded value. */
  rc_access_points_active = g_rt.options.access_points;
  if (!g_rt.strategy)
    rc_fatal("unknown strategy '%s' in RACECHECK_OPTIONS; valid: random, pct, "
             "lockstep, directed, guided, race-directed, pb-N, db-N (N 1..16)",
             g_rt.options.strategy);
}

static void runtime_init(char **envp) {
  if (g_rt.initialized)
    return;
  rc_flags_set_defaults(&g_rt.options);
  const char *options = rc_options_env_take(envp);
  /* Always taken (and closed), so what this image starts never inherits
   * it; options the program put in its child's environment win. */
  const char *channel = rc_child_channel_take();
  if (!options && channel) {
    /* kept as if it came from the environment: an exec of this image
     * carries it on, and this image's own children derive theirs from it */
    size_t size = strlen(channel) + sizeof "RACECHECK_OPTIONS=";
    char *entry = rc_alloc(size);
    snprintf(entry, size, "RACECHECK_OPTIONS=%s", channel);
    rc_options_env_set(entry);
    options = channel;
  }
  rc_flags_parse(&g_rt.options, options);
  snprintf(g_rt.process, sizeof g_rt.process, "%s", g_rt.options.child_process);
  rc_select_strategy();
  /* The strategy begins at main or at the first pthread_create
   * (rc_schedule_begin), not here. */

  rc_thread *t0 = rc_thread_new(UINT32_MAX);
  rc_thread_set_status(t0, RC_THREAD_ENABLED);
  main_stack_range(&t0->stack_lo, &t0->stack_hi);
  t0->pthread_self = (uint64_t)pthread_self();
  rc_ext(t0)->pthread = (unsigned long)pthread_self();
  rc_ext(t0)->kernel_tid =
      (int32_t)rc_raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0);
  rc_vtime_init();
  /* Detectors ask the sink to end the run; only this file decides how. */
  rc_finding_sink_set_end_handler(end_run_with_findings);
  rc_signals_init();
  /* Registered first, so it runs last: after the program's own atexit
   * handlers and static destructors, which are part of the run. */
  on_exit(finalize_at_exit, 0);
  at_quick_exit(finalize_at_quick_exit);
  rc_self = t0;
  g_rt.current = t0;
  g_rt.initialized = true;
}

/* Same seed, same run — also for code that hashes addresses: start over
 * once with ASLR off, as rr does. The personality flag is inherited, so the
 * re-executed process sees it set and goes on. */
static void reexec_without_aslr(char **argv, char **envp) {
  if (!g_rt.options.disable_aslr || !argv || !argv[0])
    return;
  int persona = personality(0xffffffff);
  if (persona == -1 || (persona & ADDR_NO_RANDOMIZE))
    return;
  if (personality((unsigned long)persona | ADDR_NO_RANDOMIZE) == -1)
    return;
  /* the raw call: the exec interceptor would write a record for a run that
   * has not begun */
  int channel = rc_exec_channel(); /* a child process's options */
  rc_raw_syscall(SYS_execve, (long)"/proc/self/exe", (long)argv,
                 (long)rc_options_env_for_exec(envp), 0, 0, 0);
  rc_child_channel_close(channel);
  personality((unsigned long)persona); /* could not: run as we are */
}

static void preinit(int argc, char **argv, char **envp) {
  if (argv && argv[0])
    g_rt.program = argv[0];
  runtime_init(envp);
  reexec_without_aslr(argv, envp);
  rc_schedule_writer_remember_invocation(argc, argv);
}

__attribute__((section(".preinit_array"),
               used)) static void (*const rc_preinit_entry)(int, char **,
                                                            char **) = preinit;

/* The seeded part of the run starts here: at main (main_entry.c), or at the
 * first pthread_create when a constructor starts a thread. Before it there
 * is one thread and the scheduler consults no strategy (its preemption
 * budget is not randomised), so the state at main does not depend on the
 * seed; a fork server child (fork_server.c) starts from exactly the state a
 * fresh process with its seed would have. */
void rc_schedule_begin(void) {
  if (g_rt.schedule_started)
    return;
  g_rt.schedule_started = true;
  g_rt.strategy->begin(g_rt.strategy, g_rt.options.seed, &g_rt.options);
}

void rc_ensure_init(void) {
  if (!g_rt.initialized)
    runtime_init(environ);
}

RC_INTERFACE void __racecheck_init(unsigned int abi_version) {
  if (abi_version != RACECHECK_ABI_VERSION)
    rc_fatal("this program was instrumented for runtime ABI %u, but the "
             "runtime is ABI %u; rebuild",
             abi_version, (unsigned)RACECHECK_ABI_VERSION);
  rc_ensure_init();
  g_rt.instrumented_modules++;
  rc_note_instrumented_module(__builtin_return_address(0));
}

/* ---- the end of a run a detector asks for (finding_sink.h) ---- */
/* Every finding of the run matched the suppressions file: the tool said so
 * by its exit status, and the run must not fail for them. */
static bool g_findings_suppressed;

static void end_run_with_findings(rc_end_reason reason, int exit_signal) {
  (void)reason; /* the findings themselves say why */
  rc_finalize(-1, exit_signal);
  if (exit_signal == 0)
    _exit(g_findings_suppressed ? 0 : (int)g_rt.options.exitcode);
}

/* ---- finalisation ---- */
static bool make_temp_record_path(void) {
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir)
    dir = "/tmp";
  size_t size = strlen(dir) + 40;
  char *path = rc_alloc(size);
  snprintf(path, size, "%s/racecheck-XXXXXX.record", dir);
  int fd = mkstemps(path, 7);
  if (fd < 0) {
    rc_write_stderr("racecheck: cannot create a temporary record file\n");
    return false;
  }
  /* raw: the fd model (interceptors_fd.c) is for the program's descriptors */
  rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
  g_rt.options.record = path;
  return true;
}

/* The program's output comes before the report. A thread blocked in the
 * kernel (or whose token the watchdog took) may hold a FILE's lock, e.g.
 * getline's: flushing must never wait for it, or the report is never
 * written. stdout and stderr are flushed when their locks are free; every
 * stream only when no thread is away in the kernel. */
static void flush_program_output(void) {
  FILE *streams[2] = {stdout, stderr};
  for (int i = 0; i < 2; i++)
    if (ftrylockfile(streams[i]) == 0) {
      fflush_unlocked(streams[i]);
      funlockfile(streams[i]);
    }
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    rc_thread *t = g_rt.threads[i];
    if (t->status == RC_THREAD_OUTSIDE || (t != rc_self && t == g_rt.current) ||
        __atomic_load_n(&rc_ext(t)->away, __ATOMIC_ACQUIRE) != RC_AWAY_NO)
      return;
  }
  if (rc_self && rc_self == g_rt.current)
    fflush(NULL);
}

#if defined(__x86_64__)
/* vfork, then in the child: the signal mask `mask`, dup2(2, 1) and
 * execve(path, argv, envp), or exit(127); all in registers, for the child
 * shares our stack and must not write to it, and nothing here takes a lock
 * (posix_spawn's file actions allocate). The caller blocks signals around
 * it. Returns the child's pid or -errno. */
long rc_spawn_report_tool(const char *path, char *const argv[],
                          char *const envp[], const sigset_t *mask);
__asm__(".text\n"
        ".type rc_spawn_report_tool, @function\n"
        "rc_spawn_report_tool:\n"
        "  push %rbx\n"
        "  push %r12\n"
        "  push %r13\n"
        "  push %r14\n"
        "  mov %rdi, %rbx\n"
        "  mov %rsi, %r12\n"
        "  mov %rdx, %r13\n"
        "  mov %rcx, %r14\n"
        "  mov $58, %eax\n" /* vfork */
        "  syscall\n"
        "  test %rax, %rax\n"
        "  jnz 1f\n"
        "  mov $14, %eax\n" /* rt_sigprocmask(SIG_SETMASK, mask, 0, 8) */
        "  mov $2, %edi\n"
        "  mov %r14, %rsi\n"
        "  xor %edx, %edx\n"
        "  mov $8, %r10d\n"
        "  syscall\n"
        "  mov $33, %eax\n" /* dup2(2, 1) */
        "  mov $2, %edi\n"
        "  mov $1, %esi\n"
        "  syscall\n"
        "  mov $59, %eax\n" /* execve(path, argv, envp) */
        "  mov %rbx, %rdi\n"
        "  mov %r12, %rsi\n"
        "  mov %r13, %rdx\n"
        "  syscall\n"
        "  mov $60, %eax\n" /* exit(127) */
        "  mov $127, %edi\n"
        "  syscall\n"
        "1:\n"
        "  pop %r14\n"
        "  pop %r13\n"
        "  pop %r12\n"
        "  pop %rbx\n"
        "  ret\n"
        ".size rc_spawn_report_tool, .-rc_spawn_report_tool\n");
#endif

/* The report tool: the report_tool option, else the racecheck built with this
 * runtime, else (an installed runtime whose build tree is gone) the first
 * executable racecheck on PATH. Null when there is none. */
static const char *find_report_tool(char *buf, size_t size) {
  if (g_rt.options.report_tool[0])
    return access(g_rt.options.report_tool, X_OK) == 0
               ? g_rt.options.report_tool
               : 0;
  if (access(RACECHECK_TOOL_PATH, X_OK) == 0)
    return RACECHECK_TOOL_PATH;
  const char *dirs = getenv("PATH");
  while (dirs && *dirs) {
    const char *end = strchr(dirs, ':');
    size_t len = end ? (size_t)(end - dirs) : strlen(dirs);
    if (len > 0 && len + sizeof "/racecheck" <= size) {
      memcpy(buf, dirs, len);
      memcpy(buf + len, "/racecheck", sizeof "/racecheck");
      if (access(buf, X_OK) == 0)
        return buf;
    }
    dirs = end ? end + 1 : 0;
  }
  return 0;
}

/* Runs `<tool> report --text RECORD [--json FILE] [--suppressions FILE]`
 * with our stderr; returns true when the tool ran and understood the record.
 * The suppressions are the tool's to apply (the runtime records
 * everything), so its exit status says whether any finding remains. */
static bool render_report(const char *record) {
  char path[4096];
  const char *tool = find_report_tool(path, sizeof path);
  if (!tool)
    return false;
  char *argv[10];
  int argc = 0;
  argv[argc++] = (char *)tool;
  argv[argc++] = "report";
  argv[argc++] = "--text";
  if (g_rt.options.json[0]) {
    argv[argc++] = "--json";
    argv[argc++] = (char *)g_rt.options.json;
  }
  if (g_rt.options.suppressions[0]) {
    argv[argc++] = "--suppressions";
    argv[argc++] = (char *)g_rt.options.suppressions;
  }
  argv[argc++] = (char *)record;
  argv[argc] = 0;
  flush_program_output();
#if defined(__x86_64__)
  uint64_t all = ~(uint64_t)0, old = 0;
  rc_raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)&old, 8, 0,
                 0);
  long pid = rc_spawn_report_tool(tool, argv, environ, (const sigset_t *)&old);
  rc_raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8, 0, 0);
  if (pid < 0)
    return false;
  int status;
  long r;
  while ((r = rc_raw_syscall(SYS_wait4, pid, (long)&status, 0, 0, 0, 0)) < 0)
    if (r != -EINTR)
      return false;
#else
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  /* The report goes to stderr: make the tool's stdout our stderr too. */
  posix_spawn_file_actions_adddup2(&actions, 2, 1);
  pid_t pid;
  int err = posix_spawn(&pid, tool, &actions, 0, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0)
    return false;
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return false;
#endif
  if (!WIFEXITED(status))
    return false;
  if (WEXITSTATUS(status) == 0 && g_rt.options.suppressions[0])
    g_findings_suppressed = true;
  return WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 66;
}

void rc_process_after_fork(int pid) {
  if (pid < 0)
    return;
  uint32_t order = ++g_rt.forks;
  if (pid > 0)
    return;
  rc_threads_after_fork_child();
  rc_child_channel_after_fork_child();
  /* The child goes on under its own scheduler and writes its own record
   * beside the parent's, named by its fork path: the tool reads them all,
   * and the order of forks, hence the names, is fixed by the schedule. */
  char parent[sizeof g_rt.process];
  memcpy(parent, g_rt.process, sizeof parent);
  snprintf(g_rt.process, sizeof g_rt.process, "%s%s%u", parent,
           parent[0] ? "." : "", order);
  g_rt.forks = 0;
  /* A replay's file holds the parent's choices; the recorded strategy, kept
   * in step with them up to here, makes the child's as it made them in the
   * recorded run. */
  if (g_rt.options.replay[0])
    g_rt.strategy = rc_strategy_replay_recorded();
  if (g_rt.options.record[0]) {
    size_t size =
        strlen(g_rt.options.record) + sizeof RC_RECORD_CHILD_SUFFIX + 12;
    char *path = rc_alloc(size);
    snprintf(path, size, "%s%s%u", g_rt.options.record, RC_RECORD_CHILD_SUFFIX,
             order);
    g_rt.options.record = path;
  }
}

/* This child process wrote its findings before an exec: the next image
 * writes its own record beside it. */
static bool child_wrote_before_exec;

int rc_exec_channel(void) {
  return g_rt.process[0] ? rc_child_channel_open_same(child_wrote_before_exec)
                         : -1;
}

/* This image wrote a record before an exec that then failed: the record
 * of its end holds all of it. (An exec'd image does not inherit the flag,
 * and leaves its predecessor's record alone.) */
static bool wrote_before_exec;

static void forget_record_before_exec(void) {
  if (!wrote_before_exec || !g_rt.options.record[0])
    return;
  size_t size =
      strlen(g_rt.options.record) + sizeof RC_RECORD_BEFORE_EXEC_SUFFIX;
  char *path = rc_alloc(size);
  snprintf(path, size, "%s%s", g_rt.options.record,
           RC_RECORD_BEFORE_EXEC_SUFFIX);
  unlink(path);
}

/* Writes the record (a temporary one when no path was given) and, with
 * report=1, renders it; says where it went when it cannot. */
static void write_and_render(int exit_status, int exit_signal) {
  bool temporary = false;
  if (!g_rt.options.record[0]) {
    if (!make_temp_record_path())
      return;
    temporary = true;
  }
  rc_write_record(exit_status, exit_signal);
  rc_fork_server_note_record(exit_status, exit_signal);
  if (g_rt.options.report) {
    if (render_report(g_rt.options.record)) {
      if (temporary)
        unlink(g_rt.options.record);
    } else {
      char line[1024];
      snprintf(line, sizeof line,
               "racecheck: %u finding(s); record at %s; render it with: "
               "racecheck report %s\n",
               g_rt.n_findings, g_rt.options.record, g_rt.options.record);
      rc_write_stderr(line);
    }
  } else if (temporary) {
    if (g_rt.n_findings == 0) {
      unlink(g_rt.options.record);
    } else { /* nobody else knows where the record went */
      char line[1024];
      snprintf(line, sizeof line, "racecheck: %u finding(s); record at %s\n",
               g_rt.n_findings, g_rt.options.record);
      rc_write_stderr(line);
    }
  }
}

void rc_finalize(int exit_status, int exit_signal) {
  static int once;
  if (!g_rt.initialized || __atomic_exchange_n(&once, 1, __ATOMIC_ACQ_REL))
    return;
  g_rt.finalized = true;
  /* starvation findings are judged over the whole run (not from a signal
   * handler: they allocate) */
  if (exit_signal == 0)
    rc_starvation_finish();
  if (g_rt.instrumented_modules == 0)
    rc_verbose("no instrumented module registered: was the program compiled "
               "with the racecheck plugin?");
  /* a child process (forked, or started with the channel) without findings
   * leaves the report to its parent */
  if (g_rt.process[0] && g_rt.n_findings == 0)
    return;
  /* a fork child saw only a part of the replayed run */
  if (g_rt.options.replay[0] && !g_rt.fork_child)
    rc_strategy_replay_check_complete(g_rt.steps);
  if (g_rt.options.schedule_out[0] && !g_rt.fork_child)
    rc_schedule_writer_write(g_rt.options.schedule_out);
  if (exit_signal == 0)
    flush_program_output();
  write_and_render(exit_status, exit_signal);
  forget_record_before_exec();
  /* A child process keeps its own exit status: its parent may read it, and
   * its findings reach the tool through its record. */
  if (g_rt.n_findings > 0 && exit_signal == 0 && !g_rt.process[0] &&
      !g_findings_suppressed) {
    flush_program_output();
    _exit((int)g_rt.options.exitcode);
  }
}

/* Before an exec replaces the program: the findings so far go to the record
 * (and the report) now, for nothing of this image runs afterwards. The run
 * is not finalized: should the exec fail, the program goes on and its exit
 * writes the record again, whole. */
void rc_record_before_exec(void) {
  if (!g_rt.initialized || g_rt.finalized)
    return;
  if (g_rt.process[0]) {
    /* A child process: its findings so far go to its own record; the image
     * it becomes takes the channel (rc_exec_channel) and writes its own
     * beside it. */
    child_wrote_before_exec = g_rt.n_findings > 0;
    const char *record = g_rt.options.record;
    if (child_wrote_before_exec)
      write_and_render(-1, 0);
    g_rt.options.record = record; /* a temporary path is not reused */
    return;
  }
  if (!g_rt.options.record[0] && g_rt.n_findings == 0)
    return; /* nobody waits for a record without findings */
  flush_program_output();
  const char *record = g_rt.options.record;
  if (g_rt.options.schedule_out[0])
    rc_schedule_writer_write(g_rt.options.schedule_out);
  /* A named record goes beside the path (RC_RECORD_BEFORE_EXEC_SUFFIX): an
   * exec'd image that is instrumented writes the path itself, and the tool
   * reports both. */
  if (record[0]) {
    size_t size = strlen(record) + sizeof RC_RECORD_BEFORE_EXEC_SUFFIX;
    char *path = rc_alloc(size);
    snprintf(path, size, "%s%s", record, RC_RECORD_BEFORE_EXEC_SUFFIX);
    g_rt.options.record = path;
    wrote_before_exec = true;
  }
  write_and_render(-1, 0);
  g_rt.options.record = record; /* a temporary path is not reused */
}

static void finalize_at_exit(int status, void *arg) {
  (void)arg;
  /* A non-main thread calling exit() still holds thread_local objects whose
   * destructors glibc does not know about (sync/thread.c keeps them); they
   * are not run, as the process is ending anyway. */
  if (g_rt.initialized && !g_rt.finalized && rc_self && rc_self->n_held)
    rc_misuse_exit_holding(rc_self, rc_self->held[0].lock_id,
                           rc_self->last_site);
  rc_finalize(status, 0);
}

/* _exit/_Exit end the process without atexit handlers; finalize here too so
 * such programs still get their report. In a fork child (which commonly
 * _exits after a failed exec) rc_finalize only writes a record when the
 * child itself found something. */
__attribute__((noreturn)) static void exit_now(int status) {
  static void (*real_exit)(int) __attribute__((noreturn));
  RC_REAL(real_exit, "_exit");
  if (g_rt.initialized && !g_rt.finalized && rc_self == g_rt.current)
    rc_finalize(status, 0);
  real_exit(status);
  __builtin_unreachable();
}

RC_INTERCEPT void _exit(int status) { exit_now(status); }

/* quick_exit runs the at_quick_exit handlers and then glibc's internal
 * _exit, which no interposition reaches. The runtime registers its own
 * handler first (so it runs last, after the program's) and the status is
 * noted here on the way in. */
static int quick_exit_status;

static void finalize_at_quick_exit(void) {
  if (rc_self == g_rt.current)
    rc_finalize(quick_exit_status, 0);
}

RC_INTERCEPT void quick_exit(int status) {
  static void (*real_quick_exit)(int) __attribute__((noreturn));
  RC_REAL(real_quick_exit, "quick_exit");
  quick_exit_status = status;
  real_quick_exit(status);
  __builtin_unreachable();
}
RC_INTERCEPT void _Exit(int status) { exit_now(status); }
