/* schedule_writer.c — ScheduleWriter: writes the scheduling decisions of this
 * run as a schedule file (docs/schedule-format.md) when the option
 * schedule_out names one. A decision is a scheduling point where more than
 * one thread was enabled and the thread that reached it did not go on
 * (decision_log.c); the other points are implied — by the program where
 * there was no choice, by "the running thread went on" elsewhere — so a
 * file grows with the switches of a run, not with its length. Decisions
 * and switches are spooled to temporary files as the run goes (memory
 * stays flat) and copied behind the header, whose counts are known only
 * at the end.
 *
 * The header carries everything replay needs besides the decisions: the
 * binary identity, the command line (quoted, so arguments round-trip
 * byte for byte), and the strategy, seed and budgets whose random stream
 * replay drives again for every non-thread choice. Output goes through raw
 * syscalls like the run record. */
#include "record/schedule.h"
#include "record/raw_writer.h"
#include "racecheck/schedule_format.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#ifndef RACECHECK_VERSION
#define RACECHECK_VERSION "unknown"
#endif

const char *rc_op_token(rc_op_kind kind, char *buf, size_t size) {
  /* A thread that has not run yet has no pending operation: what it will do
   * is start. */
  const char *name = kind == RC_OP_NONE ? "thread start" : rc_op_name(kind);
  size_t i = 0;
  for (; name[i] && i + 1 < size; i++)
    buf[i] = name[i] == ' ' ? '_' : name[i];
  buf[i] = 0;
  return buf;
}

/* The target of a /proc symbolic link (empty when unreadable). */
static char *read_proc_link(const char *path, size_t *len_out) {
  char *buf = rc_alloc(4096);
  long n = rc_raw_syscall(SYS_readlink, (long)path, (long)buf, 4095, 0, 0, 0);
  *len_out = n > 0 ? (size_t)n : 0;
  return buf;
}

/* Reads a whole /proc file (NUL-separated command line, link target...). */
static char *read_proc_file(const char *path, size_t *len_out) {
  size_t cap = 4096, len = 0;
  char *buf = rc_alloc(cap);
  long fd = rc_raw_syscall(SYS_openat, AT_FDCWD, (long)path,
                           O_RDONLY | O_CLOEXEC, 0, 0, 0);
  if (fd >= 0) {
    for (;;) {
      if (len == cap) {
        buf = rc_realloc(buf, cap, cap * 2);
        cap *= 2;
      }
      long n = rc_raw_syscall(SYS_read, fd, (long)(buf + len),
                              (long)(cap - len), 0, 0, 0);
      if (n == -4 /* EINTR */)
        continue;
      if (n <= 0)
        break;
      len += (size_t)n;
    }
    rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
  }
  *len_out = len;
  return buf;
}

/* The executable's absolute path and argv (NUL-separated), as remembered
 * before main; null until then. */
static char *invocation_exe, *invocation_args;
static size_t invocation_exe_len, invocation_args_len;

void rc_schedule_writer_remember_invocation(int argc, char **argv) {
  char exe[4096];
  long n = rc_raw_syscall(SYS_readlink, (long)"/proc/self/exe", (long)exe,
                          sizeof exe - 1, 0, 0, 0);
  invocation_exe_len = n > 0 ? (size_t)n : 0;
  invocation_exe = rc_alloc(invocation_exe_len + 1);
  memcpy(invocation_exe, exe, invocation_exe_len);
  size_t total = 0;
  for (int i = 0; i < argc && argv && argv[i]; i++)
    total += strlen(argv[i]) + 1;
  invocation_args = rc_alloc(total + 1);
  invocation_args_len = 0;
  for (int i = 0; i < argc && argv && argv[i]; i++) {
    size_t len = strlen(argv[i]) + 1; /* with its NUL, as in cmdline */
    memcpy(invocation_args + invocation_args_len, argv[i], len);
    invocation_args_len += len;
  }
}

static void write_header(rc_out *o) {
  rc_out_str(o, RC_SCHEDULE_FORMAT_NAME " ");
  rc_out_u64(o, RC_SCHEDULE_FORMAT_VERSION);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_TOOL " ");
  rc_out_str(o, RACECHECK_VERSION);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_BINARY " ");
  rc_out_str(o, rc_binary_identity());
  /* The program to start again: the executable's absolute path, so the
   * replay does not depend on PATH or on the directory it starts from. */
  if (!invocation_exe) { /* not remembered before main: ask /proc now */
    invocation_exe = read_proc_link("/proc/self/exe", &invocation_exe_len);
    invocation_args =
        read_proc_file("/proc/self/cmdline", &invocation_args_len);
  }
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_PROGRAM " ");
  rc_out_quoted(o, invocation_exe, invocation_exe_len);
  /* argv exactly as the program received it, argv[0] included. */
  size_t cmdline_len = invocation_args_len;
  const char *cmdline = invocation_args;
  for (size_t start = 0; start < cmdline_len;) {
    size_t end = start;
    while (end < cmdline_len && cmdline[end])
      end++;
    rc_out_str(o, "\n" RC_SCHEDULE_KEY_ARG " ");
    rc_out_quoted(o, cmdline + start, end - start);
    start = end + 1;
  }
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_STRATEGY " ");
  rc_out_quoted(o, g_rt.options.strategy, strlen(g_rt.options.strategy));
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_SEED " ");
  rc_out_u64(o, g_rt.options.seed);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_PREEMPT_BUDGET " ");
  rc_out_u64(o, g_rt.options.preempt_budget);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_PCT_DEPTH " ");
  rc_out_u64(o, g_rt.options.pct_depth);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_PCT_STEPS " ");
  rc_out_u64(o, g_rt.options.pct_steps);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_MAX_STEPS " ");
  rc_out_u64(o, g_rt.options.max_steps);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_STEPS " ");
  rc_out_u64(o, g_rt.steps);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_FAIR " ");
  rc_out_u64(o, g_rt.options.fair);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_LIVELOCK_REPEATS " ");
  rc_out_u64(o, g_rt.options.livelock_repeats);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_PREEMPTIONS " ");
  rc_out_u64(o, rc_switches_preemptions());
  if (g_rt.options.shrunk_from) {
    rc_out_str(o, "\n" RC_SCHEDULE_KEY_SHRUNK_FROM " ");
    rc_out_u64(o, g_rt.options.shrunk_from);
  }
  if (g_rt.options.guided_base[0] &&
      strcmp(g_rt.options.strategy, "guided") == 0) {
    rc_out_str(o, "\n" RC_SCHEDULE_KEY_GUIDED_BASE " ");
    rc_out_token(o, g_rt.options.guided_base);
  }
  if (g_rt.options.spurious_wakeups)
    rc_out_str(o, "\n" RC_SCHEDULE_KEY_SPURIOUS_WAKEUPS " 1");
  if (g_rt.options.random_decay_steps &&
      strcmp(g_rt.options.strategy, "random") == 0) {
    rc_out_str(o, "\n" RC_SCHEDULE_KEY_RANDOM_DECAY_STEPS " ");
    rc_out_u64(o, g_rt.options.random_decay_steps);
  }
  if (g_rt.options.access_points)
    rc_out_str(o, "\n" RC_SCHEDULE_KEY_ACCESS_POINTS " 1");
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_EARLY_WAKE_STEPS " ");
  rc_out_u64(o, g_rt.options.early_wake_steps);
  if (g_rt.options.step_ns) {
    rc_out_str(o, "\n" RC_SCHEDULE_KEY_STEP_NS " ");
    rc_out_u64(o, g_rt.options.step_ns);
  }
  rc_race_targets_write(o);
  rc_out_str(o, "\n" RC_SCHEDULE_KEY_DECISIONS " ");
  rc_out_u64(o, g_rt.n_decisions);
  rc_out_str(o, "\n" RC_SCHEDULE_DECISIONS_COMMENT "\n");
}

static rc_out spools[RC_SCHEDULE_SECTION_COUNT];
static enum {
  SPOOL_CLOSED,
  SPOOL_OPEN,
  SPOOL_FAILED
} spool_state[RC_SCHEDULE_SECTION_COUNT];

rc_out *rc_schedule_spool(rc_schedule_section section) {
  /* A forked child inherits the parent's spools but writes no schedule:
   * it must not write into them either. */
  if (!g_rt.options.schedule_out[0] || g_rt.fork_child)
    return 0;
  if (RC_UNLIKELY(spool_state[section] == SPOOL_CLOSED))
    spool_state[section] =
        rc_out_open_spool(&spools[section], g_rt.options.schedule_out)
            ? SPOOL_OPEN
            : SPOOL_FAILED;
  return spool_state[section] == SPOOL_OPEN ? &spools[section] : 0;
}

void rc_schedule_write_site(rc_out *o, const rc_site *site, bool column) {
  if (!site || !site->file || !site->file[0]) {
    rc_out_str(o, RC_SCHEDULE_NONE);
    return;
  }
  rc_out_token(o, site->file);
  rc_out_str(o, ":");
  rc_out_u64(o, site->line);
  if (column) {
    rc_out_str(o, ":");
    rc_out_u64(o, site->column);
  }
}

/* Appends a section's spool; a spool that failed fails the file. */
static void append_section(rc_out *o, rc_schedule_section section) {
  if (spool_state[section] == SPOOL_OPEN)
    rc_out_append_spool(o, &spools[section]);
  else if (spool_state[section] == SPOOL_FAILED)
    o->failed = true;
}

bool rc_schedule_writer_write(const char *path) {
  static rc_out out;
  rc_out *o = &out;
  long error = 0;
  if (!rc_out_open(o, path, &error)) {
    char line[1200];
    snprintf(line, sizeof line,
             "racecheck: cannot write the schedule file %s (error %ld)\n", path,
             error);
    rc_write_stderr(line);
    return false;
  }
  write_header(o);
  append_section(o, RC_SCHEDULE_SECTION_DECISIONS);
  rc_switches_write(o);
  append_section(o, RC_SCHEDULE_SECTION_SWITCHES);
  rc_out_str(o, RC_SCHEDULE_END "\n");
  if (!rc_out_close(o)) {
    char line[1200];
    snprintf(line, sizeof line,
             "racecheck: error while writing the schedule file %s\n", path);
    rc_write_stderr(line);
  }
  return !o->failed;
}
