/* schedule_writer.c — ScheduleWriter: writes the scheduling decisions of this
 * run as a schedule file (docs/schedule-format.md) when the option
 * schedule_out names one. A decision is a scheduling point where more than
 * one thread was enabled (scheduler.c logs them in g_rt.decisions); points
 * without a choice are implied by the program and are not written, which
 * keeps files small and lets two schedules of one program diff line by line.
 *
 * The header carries everything replay needs besides the decisions: the
 * binary identity, the command line (quoted, so arguments round-trip
 * byte for byte), and the strategy, seed and budgets whose random stream
 * replay drives again for every non-thread choice. Output goes through raw
 * syscalls like the run record. */
#include "schedule.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#ifndef RACECHECK_VERSION
#define RACECHECK_VERSION "unknown"
#endif

typedef struct rc_schedule_out {
  int fd;
  bool failed;
  size_t len;
  char buf[1 << 15];
} rc_schedule_out;

static void out_flush(rc_schedule_out *o) {
  size_t done = 0;
  while (done < o->len && !o->failed) {
    long r = rc_raw_syscall(SYS_write, o->fd, (long)(o->buf + done),
                            (long)(o->len - done), 0, 0, 0);
    if (r == -4 /* EINTR */)
      continue;
    if (r <= 0)
      o->failed = true;
    else
      done += (size_t)r;
  }
  o->len = 0;
}

static void out_bytes(rc_schedule_out *o, const char *s, size_t n) {
  while (n) {
    if (o->len == sizeof o->buf)
      out_flush(o);
    size_t room = sizeof o->buf - o->len;
    size_t k = n < room ? n : room;
    memcpy(o->buf + o->len, s, k);
    o->len += k;
    s += k;
    n -= k;
  }
}

static void out_str(rc_schedule_out *o, const char *s) {
  out_bytes(o, s, strlen(s));
}

static void out_u64(rc_schedule_out *o, uint64_t v) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n)
    out_bytes(o, &digits[--n], 1);
}

static const char hex_digits[] = "0123456789abcdef";

/* A C-like quoted string: \\ \" and \xHH for bytes outside printable ASCII,
 * so any byte string (arguments may hold newlines) fits on one line. */
static void out_quoted(rc_schedule_out *o, const char *s, size_t n) {
  out_bytes(o, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\' || c == '"') {
      char esc[2] = {'\\', (char)c};
      out_bytes(o, esc, 2);
    } else if (c < 0x20 || c >= 0x7f) {
      char esc[4] = {'\\', 'x', hex_digits[c >> 4], hex_digits[c & 15]};
      out_bytes(o, esc, 4);
    } else {
      out_bytes(o, (const char *)&c, 1);
    }
  }
  out_bytes(o, "\"", 1);
}

/* A bare token: percent-encoding of blanks, '%' and non-printable bytes. */
static void out_token(rc_schedule_out *o, const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c <= 0x20 || c >= 0x7f || c == '%') {
      char esc[3] = {'%', hex_digits[c >> 4], hex_digits[c & 15]};
      out_bytes(o, esc, 3);
    } else {
      out_bytes(o, (const char *)&c, 1);
    }
  }
}

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

static void write_header(rc_schedule_out *o) {
  out_str(o, "racecheck-schedule ");
  out_u64(o, RC_SCHEDULE_FORMAT_VERSION);
  out_str(o, "\ntool ");
  out_str(o, RACECHECK_VERSION);
  out_str(o, "\nbinary ");
  out_str(o, rc_binary_identity());
  /* The program to start again: the executable's absolute path, so the
   * replay does not depend on PATH or on the directory it starts from. */
  char exe[4096];
  long n = rc_raw_syscall(SYS_readlink, (long)"/proc/self/exe", (long)exe,
                          sizeof exe - 1, 0, 0, 0);
  out_str(o, "\nprogram ");
  out_quoted(o, exe, n > 0 ? (size_t)n : 0);
  /* argv exactly as the program received it, argv[0] included. */
  size_t cmdline_len;
  char *cmdline = read_proc_file("/proc/self/cmdline", &cmdline_len);
  for (size_t start = 0; start < cmdline_len;) {
    size_t end = start;
    while (end < cmdline_len && cmdline[end])
      end++;
    out_str(o, "\narg ");
    out_quoted(o, cmdline + start, end - start);
    start = end + 1;
  }
  out_str(o, "\nstrategy ");
  out_quoted(o, g_rt.options.strategy, strlen(g_rt.options.strategy));
  out_str(o, "\nseed ");
  out_u64(o, g_rt.options.seed);
  out_str(o, "\npreempt_budget ");
  out_u64(o, g_rt.options.preempt_budget);
  out_str(o, "\npct_depth ");
  out_u64(o, g_rt.options.pct_depth);
  out_str(o, "\npct_steps ");
  out_u64(o, g_rt.options.pct_steps);
  out_str(o, "\nmax_steps ");
  out_u64(o, g_rt.options.max_steps);
  out_str(o, "\nsteps ");
  out_u64(o, g_rt.steps);
  out_str(o, "\ndecisions ");
  out_u64(o, g_rt.n_decisions);
  out_str(o, "\n# step thread operation site\n");
}

bool rc_schedule_writer_write(const char *path) {
  static rc_schedule_out out;
  rc_schedule_out *o = &out;
  long fd =
      rc_raw_syscall(SYS_openat, AT_FDCWD, (long)path,
                     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644, 0, 0);
  if (fd < 0) {
    char line[1200];
    snprintf(line, sizeof line,
             "racecheck: cannot write the schedule file %s (error %ld)\n", path,
             -fd);
    rc_write_stderr(line);
    return false;
  }
  o->fd = (int)fd;
  o->failed = false;
  o->len = 0;
  write_header(o);
  for (uint64_t i = 0; i < g_rt.n_decisions; i++) {
    const struct rc_decision *d = &g_rt.decisions[i];
    char op[48];
    out_u64(o, d->step);
    out_str(o, " T");
    out_u64(o, d->chosen);
    out_str(o, " ");
    out_str(o, rc_op_token(d->op, op, sizeof op));
    out_str(o, " ");
    if (d->site && d->site->file && d->site->file[0]) {
      out_token(o, d->site->file);
      out_str(o, ":");
      out_u64(o, d->site->line);
    } else {
      out_str(o, "-");
    }
    out_str(o, "\n");
  }
  out_str(o, "end\n");
  out_flush(o);
  rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
  if (o->failed) {
    char line[1200];
    snprintf(line, sizeof line,
             "racecheck: error while writing the schedule file %s\n", path);
    rc_write_stderr(line);
  }
  return !o->failed;
}
