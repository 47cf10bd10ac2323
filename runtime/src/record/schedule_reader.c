/* schedule_reader.c — ScheduleReader: parses a schedule file
 * (docs/schedule-format.md) for replay. It runs at start-up, before the
 * program's constructors, so it reads with raw syscalls into the runtime's
 * own arena (no malloc, no stdio) and unescapes strings in place. Every
 * problem is fatal with the file name and line: a replay of a schedule that
 * was cut short or edited wrongly must not quietly run something else. */
#include "record/schedule.h"
#include "racecheck/text_encoding.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

typedef struct rc_reader {
  const char *path;
  char *text; /* whole file, NUL-terminated */
  size_t len;
  char *cursor;  /* start of the next line */
  uint32_t line; /* number of the line last returned */
} rc_reader;

__attribute__((noreturn, format(printf, 2, 3))) static void
reader_error(const rc_reader *r, const char *fmt, ...) {
  char what[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  rc_fatal("malformed schedule file %s, line %u: %s", r->path, r->line, what);
}

static void read_whole_file(rc_reader *r) {
  long fd = rc_raw_syscall(SYS_openat, AT_FDCWD, (long)r->path,
                           O_RDONLY | O_CLOEXEC, 0, 0, 0);
  if (fd < 0)
    rc_fatal("cannot open the schedule file %s (error %ld)", r->path, -fd);
  size_t cap = 1 << 16;
  r->text = rc_alloc(cap);
  r->len = 0;
  for (;;) {
    if (r->len + 1 >= cap) {
      r->text = rc_realloc(r->text, cap, cap * 2);
      cap *= 2;
    }
    long n = rc_raw_syscall(SYS_read, fd, (long)(r->text + r->len),
                            (long)(cap - 1 - r->len), 0, 0, 0);
    if (n == -4 /* EINTR */)
      continue;
    if (n < 0)
      rc_fatal("cannot read the schedule file %s (error %ld)", r->path, -n);
    if (n == 0)
      break;
    r->len += (size_t)n;
  }
  rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
  r->text[r->len] = 0;
  if (memchr(r->text, 0, r->len))
    rc_fatal("malformed schedule file %s: it contains NUL bytes", r->path);
  r->cursor = r->text;
  r->line = 0;
}

/* The next line without its newline, skipping comments; null at the end.
 * A last line without a newline means the file was cut short. */
static char *next_line(rc_reader *r) {
  for (;;) {
    if (!*r->cursor)
      return 0;
    char *line = r->cursor;
    char *nl = strchr(line, '\n');
    r->line++;
    if (!nl)
      reader_error(r, "the file ends in the middle of a line (truncated?)");
    *nl = 0;
    r->cursor = nl + 1;
    if (line[0] != RC_SCHEDULE_COMMENT)
      return line;
  }
}

/* Splits off the first space-separated word; the rest follows. */
static char *split_word(char **rest) {
  char *word = *rest;
  char *space = strchr(word, ' ');
  if (space) {
    *space = 0;
    *rest = space + 1;
  } else {
    *rest = word + strlen(word);
  }
  return word;
}

/* Splits `n` space-separated words off `rest` into `words`; true when there
 * were exactly `n` (the last non-empty, nothing after it). */
static bool split_words(char **rest, char **words, int n) {
  for (int i = 0; i < n; i++)
    words[i] = split_word(rest);
  return *words[n - 1] && !**rest;
}

static uint64_t parse_u64(const rc_reader *r, const char *s, const char *what) {
  if (!*s)
    reader_error(r, "%s: expected a number", what);
  uint64_t v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9')
      reader_error(r, "%s: '%s' is not a number", what, s);
    uint64_t digit = (uint64_t)(*p - '0');
    if (v > (UINT64_MAX - digit) / 10)
      reader_error(r, "%s: '%s' is too large", what, s);
    v = v * 10 + digit;
  }
  return v;
}

/* Unescapes a "quoted" string in place (the writer's \\ \" \xHH). The
 * result may contain any byte but NUL, which arguments cannot hold. */
static const char *parse_quoted(const rc_reader *r, char *s, const char *what) {
  size_t n = strlen(s);
  if (n < 2 || s[0] != '"' || s[n - 1] != '"')
    reader_error(r, "%s: expected a \"quoted\" string", what);
  s[n - 1] = 0;
  char *out = s;
  for (char *p = s + 1; *p; p++) {
    if (*p == '"')
      reader_error(r, "%s: unescaped '\"' inside the string", what);
    if (*p != '\\') {
      *out++ = *p;
      continue;
    }
    p++;
    if (*p == '\\' || *p == '"') {
      *out++ = *p;
    } else if (*p == 'x' && rc_hex_value(p[1]) >= 0 &&
               rc_hex_value(p[2]) >= 0 &&
               (rc_hex_value(p[1]) | rc_hex_value(p[2])) != 0) {
      *out++ = (char)(rc_hex_value(p[1]) * 16 + rc_hex_value(p[2]));
      p += 2;
    } else {
      reader_error(r, "%s: bad escape sequence in the string", what);
    }
  }
  *out = 0;
  return s;
}

/* Percent-decoding of a bare token, in place. */
static const char *parse_token(const rc_reader *r, char *s, const char *what) {
  char *out = s;
  for (char *p = s; *p; p++) {
    if (*p != '%') {
      *out++ = *p;
      continue;
    }
    int hi = rc_hex_value(p[1]), lo = hi < 0 ? -1 : rc_hex_value(p[2]);
    if (hi < 0 || lo < 0 || (hi | lo) == 0)
      reader_error(r, "%s: bad %%-escape", what);
    *out++ = (char)(hi * 16 + lo);
    p += 2;
  }
  *out = 0;
  return s;
}

/* "key value" where the key must be `key`; returns the value. */
static char *expect_key(rc_reader *r, const char *key) {
  char *line = next_line(r);
  if (!line)
    reader_error(r, "the file ends before the '%s' line (truncated?)", key);
  char *rest = line;
  char *word = split_word(&rest);
  if (strcmp(word, key) != 0)
    reader_error(r, "expected '%s', found '%s'", key, word);
  return rest;
}

static void parse_decision(rc_reader *r, char *line, rc_schedule_decision *d) {
  char *rest = line;
  char *step = split_word(&rest);
  char *thread = split_word(&rest);
  char *op = split_word(&rest);
  char *site = split_word(&rest);
  if (!*site || *rest)
    reader_error(r, "a decision is 'STEP THREAD OPERATION SITE', found '%s'",
                 line);
  d->step = parse_u64(r, step, "step");
  if (thread[0] != RC_SCHEDULE_THREAD_PREFIX)
    reader_error(r, "thread: expected T<number>, found '%s'", thread);
  uint64_t tid = parse_u64(r, thread + 1, "thread");
  if (tid >= UINT32_MAX)
    reader_error(r, "thread: T%s is out of range", thread + 1);
  d->chosen = (rc_tid)tid;
  d->op = op;
  d->file_line = r->line;
  if (strcmp(site, RC_SCHEDULE_NONE) == 0) {
    d->file = "";
    d->line = 0;
    return;
  }
  char *colon = strrchr(site, ':');
  if (!colon || colon == site)
    reader_error(r, "site: expected FILE:LINE or '-', found '%s'", site);
  *colon = 0;
  uint64_t line_no = parse_u64(r, colon + 1, "site line");
  if (line_no > UINT32_MAX)
    reader_error(r, "site line %s is out of range", colon + 1);
  d->line = (uint32_t)line_no;
  d->file = parse_token(r, site, "site file");
}

/* ---- guide files (strategy_guided.c) ---- */

rc_op_kind rc_op_from_token(const char *token) {
  char buf[48];
  for (int kind = RC_OP_THREAD_START; kind < RC_OP_COUNT; kind++)
    if (strcmp(rc_op_token((rc_op_kind)kind, buf, sizeof buf), token) == 0)
      return (rc_op_kind)kind;
  return RC_OP_COUNT;
}

static rc_tid parse_thread(const rc_reader *r, const char *s) {
  if (s[0] != RC_SCHEDULE_THREAD_PREFIX)
    reader_error(r, "thread: expected T<number>, found '%s'", s);
  uint64_t tid = parse_u64(r, s + 1, "thread");
  if (tid >= UINT32_MAX)
    reader_error(r, "thread: T%s is out of range", s + 1);
  return (rc_tid)tid;
}

/* "preempt T0 mutex_lock a.c:12:5 3 T1": a `switches` line. */
static void parse_site(rc_reader *r, char *site, const char **file_out,
                       uint32_t *line_out, uint32_t *column_out);

static void parse_switch(rc_reader *r, char *line, rc_guide_entry *e) {
  char *rest = line, *w[6];
  bool complete = split_words(&rest, w, 6);
  char *kind = w[0], *from = w[1], *op = w[2], *site = w[3], *occurrence = w[4],
       *to = w[5];
  if (!complete)
    reader_error(r,
                 "a switch is 'preempt|handoff THREAD OPERATION SITE "
                 "OCCURRENCE THREAD', found '%s'",
                 line);
  if (strcmp(kind, RC_GUIDE_PREEMPT) == 0)
    e->kind = RC_SWITCH_PREEMPT;
  else if (strcmp(kind, RC_GUIDE_HANDOFF) == 0)
    e->kind = RC_SWITCH_HANDOFF;
  else
    reader_error(r, "a switch is 'preempt' or 'handoff', found '%s'", kind);
  e->from = parse_thread(r, from);
  e->to = parse_thread(r, to);
  e->op = rc_op_from_token(op);
  if (e->op == RC_OP_COUNT)
    reader_error(r, "unknown operation '%s'", op);
  e->occurrence = parse_u64(r, occurrence, "occurrence");
  parse_site(r, site, &e->file, &e->line, &e->column);
}

/* FILE:LINE:COLUMN (or '-') and a function token (or '-'), %-decoded. */
static void parse_site_and_function(rc_reader *r, char *site, char *function,
                                    const char **file_out, uint32_t *line_out,
                                    uint32_t *column_out,
                                    const char **function_out) {
  *function_out = strcmp(function, RC_SCHEDULE_NONE) == 0
                      ? ""
                      : parse_token(r, function, "function");
  parse_site(r, site, file_out, line_out, column_out);
}

/* FILE:LINE:COLUMN (the file %-encoded) or '-' for no site. */
static void parse_site(rc_reader *r, char *site, const char **file_out,
                       uint32_t *line_out, uint32_t *column_out) {
  if (strcmp(site, RC_SCHEDULE_NONE) == 0) {
    *file_out = "";
    *line_out = *column_out = 0;
    return;
  }
  char *colon = strrchr(site, ':');
  if (!colon || colon == site)
    reader_error(r, "site: expected FILE:LINE:COLUMN or '-', found '%s'", site);
  *colon = 0;
  uint64_t column = parse_u64(r, colon + 1, "site column");
  colon = strrchr(site, ':');
  if (!colon || colon == site)
    reader_error(r, "site: expected FILE:LINE:COLUMN or '-'");
  *colon = 0;
  uint64_t line_no = parse_u64(r, colon + 1, "site line");
  if (line_no > UINT32_MAX || column > UINT32_MAX)
    reader_error(r, "site line or column out of range");
  *line_out = (uint32_t)line_no;
  *column_out = (uint32_t)column;
  *file_out = parse_token(r, site, "site file");
}

/* "DELAY_SITE DELAY_FUNCTION UNTIL_SITE UNTIL_FUNCTION" after the key. */
static void parse_race_target(rc_reader *r, char *rest, rc_race_target *t) {
  char *line = rest, *w[4];
  if (!split_words(&rest, w, 4))
    reader_error(r,
                 "a race target is 'race_target DELAY_SITE DELAY_FUNCTION "
                 "UNTIL_SITE UNTIL_FUNCTION', found '%s'",
                 line);
  memset(t, 0, sizeof *t);
  parse_site_and_function(r, w[0], w[1], &t->delay_file, &t->delay_line,
                          &t->delay_column, &t->delay_function);
  parse_site_and_function(r, w[2], w[3], &t->until_file, &t->until_line,
                          &t->until_column, &t->until_function);
}

static void add_race_target(rc_reader *r, char *rest, rc_race_target **targets,
                            uint32_t *n, uint32_t *cap) {
  if (*n == *cap) {
    uint32_t grown = *cap ? *cap * 2 : 4;
    *targets =
        rc_realloc(*targets, *cap * sizeof **targets, grown * sizeof **targets);
    *cap = grown;
  }
  parse_race_target(r, rest, &(*targets)[(*n)++]);
}

/* First line through "steps": the keys every schedule file has, in order
 * (max_steps is optional: older files go straight to "steps"). */
static void read_required_keys(rc_reader *r, rc_schedule_file *out) {
  char *first = next_line(r);
  char *rest = first ? first : "";
  if (strcmp(split_word(&rest), RC_SCHEDULE_FORMAT_NAME) != 0)
    reader_error(r, "not a racecheck schedule file (the first line must be "
                    "'" RC_SCHEDULE_FORMAT_NAME " VERSION')");
  uint64_t version = parse_u64(r, rest, "format version");
  if (version < RC_SCHEDULE_FORMAT_VERSION_OLDEST ||
      version > RC_SCHEDULE_FORMAT_VERSION)
    reader_error(r,
                 "format version %llu is not supported (this racecheck "
                 "reads versions %d to %d)",
                 (unsigned long long)version, RC_SCHEDULE_FORMAT_VERSION_OLDEST,
                 RC_SCHEDULE_FORMAT_VERSION);
  out->format_version = (uint32_t)version;
  out->tool_version = expect_key(r, RC_SCHEDULE_KEY_TOOL);
  out->binary = expect_key(r, RC_SCHEDULE_KEY_BINARY);
  if (!*out->binary)
    reader_error(r, "binary: missing identity");
  out->program = parse_quoted(r, expect_key(r, RC_SCHEDULE_KEY_PROGRAM),
                              RC_SCHEDULE_KEY_PROGRAM);
  /* arg lines: the command line, which only the CLI needs */
  char *line;
  for (;;) {
    line = next_line(r);
    if (!line)
      reader_error(r, "the file ends before the 'strategy' line (truncated?)");
    if (strncmp(line, RC_SCHEDULE_KEY_ARG " ", 4) != 0)
      break;
    parse_quoted(r, line + 4, RC_SCHEDULE_KEY_ARG);
  }
  rest = line;
  if (strcmp(split_word(&rest), RC_SCHEDULE_KEY_STRATEGY) != 0)
    reader_error(r, "expected 'arg' or 'strategy'");
  out->strategy = parse_quoted(r, rest, RC_SCHEDULE_KEY_STRATEGY);
#define RC_READ_NUMBER(field, key) field = parse_u64(r, expect_key(r, key), key)
  RC_READ_NUMBER(out->seed, RC_SCHEDULE_KEY_SEED);
  RC_READ_NUMBER(out->preempt_budget, RC_SCHEDULE_KEY_PREEMPT_BUDGET);
  RC_READ_NUMBER(out->pct_depth, RC_SCHEDULE_KEY_PCT_DEPTH);
  RC_READ_NUMBER(out->pct_steps, RC_SCHEDULE_KEY_PCT_STEPS);
  line = next_line(r);
  if (!line)
    reader_error(r, "the file ends before the 'steps' line (truncated?)");
  rest = line;
  char *key = split_word(&rest);
  if (strcmp(key, RC_SCHEDULE_KEY_MAX_STEPS) == 0) {
    out->has_max_steps = true;
    out->max_steps = parse_u64(r, rest, RC_SCHEDULE_KEY_MAX_STEPS);
    RC_READ_NUMBER(out->steps, RC_SCHEDULE_KEY_STEPS);
  } else if (strcmp(key, RC_SCHEDULE_KEY_STEPS) == 0) {
    out->steps = parse_u64(r, rest, RC_SCHEDULE_KEY_STEPS);
  } else {
    reader_error(r, "expected 'max_steps' or 'steps', found '%s'", key);
  }
#undef RC_READ_NUMBER
}

/* The optional numeric keys and where they go. */
static const struct {
  const char *key;
  size_t offset; /* of a uint64_t in rc_schedule_file */
} optional_numbers[] = {
    {RC_SCHEDULE_KEY_PREEMPTIONS, offsetof(rc_schedule_file, preemptions)},
    {RC_SCHEDULE_KEY_LIVELOCK_REPEATS,
     offsetof(rc_schedule_file, livelock_repeats)},
    {RC_SCHEDULE_KEY_SHRUNK_FROM, offsetof(rc_schedule_file, shrunk_from)},
    {RC_SCHEDULE_KEY_PHASE, offsetof(rc_schedule_file, phase)},
    {RC_SCHEDULE_KEY_RACE_PAUSE_STEPS,
     offsetof(rc_schedule_file, race_pause_steps)},
    {RC_SCHEDULE_KEY_RANDOM_DECAY_STEPS,
     offsetof(rc_schedule_file, random_decay_steps)},
    {RC_SCHEDULE_KEY_STEP_NS, offsetof(rc_schedule_file, step_ns)},
};

/* One optional key (its value in `rest`); false if the key is not one. */
static bool read_optional_key(rc_reader *r, const char *key, char *rest,
                              rc_schedule_file *out, uint32_t *target_cap) {
  for (size_t i = 0; i < sizeof optional_numbers / sizeof *optional_numbers;
       i++) {
    if (strcmp(key, optional_numbers[i].key) == 0) {
      *(uint64_t *)((char *)out + optional_numbers[i].offset) =
          parse_u64(r, rest, key);
      return true;
    }
  }
  if (strcmp(key, RC_SCHEDULE_KEY_EARLY_WAKE_STEPS) == 0) {
    out->early_wake_steps = parse_u64(r, rest, key);
    out->has_early_wake_steps = true;
  } else if (strcmp(key, RC_SCHEDULE_KEY_FAIR) == 0)
    out->fair = parse_u64(r, rest, key) != 0;
  else if (strcmp(key, RC_SCHEDULE_KEY_SPURIOUS_WAKEUPS) == 0)
    out->spurious_wakeups = parse_u64(r, rest, key) != 0;
  else if (strcmp(key, RC_SCHEDULE_KEY_ACCESS_POINTS) == 0)
    out->access_points = parse_u64(r, rest, key) != 0;
  else if (strcmp(key, RC_SCHEDULE_KEY_GUIDED_BASE) == 0)
    out->guided_base = parse_token(r, rest, key);
  else if (strcmp(key, RC_SCHEDULE_KEY_RACE_TARGET) == 0)
    add_race_target(r, rest, &out->race_targets, &out->n_race_targets,
                    target_cap);
  else
    return false;
  return true;
}

/* Optional lines between steps and decisions (absent in older files);
 * returns the count after "decisions". */
static char *read_optional_keys(rc_reader *r, rc_schedule_file *out) {
  uint32_t race_target_cap = 0;
  for (;;) {
    char *line = next_line(r);
    if (!line)
      reader_error(r, "the file ends before the 'decisions' line (truncated?)");
    char *rest = line;
    char *key = split_word(&rest);
    if (strcmp(key, RC_SCHEDULE_KEY_DECISIONS) == 0)
      return rest;
    if (!read_optional_key(r, key, rest, out, &race_target_cap))
      reader_error(r, "expected 'decisions', found '%s'", key);
  }
}

/* "decisions N" (its count given) and the N decision lines. */
static void read_decisions(rc_reader *r, char *count, rc_schedule_file *out) {
  out->n_decisions = parse_u64(r, count, RC_SCHEDULE_KEY_DECISIONS);
  if (out->n_decisions > r->len)
    reader_error(r, "decisions: %llu decisions cannot fit in the file",
                 (unsigned long long)out->n_decisions);
  out->decisions = rc_alloc((out->n_decisions ? out->n_decisions : 1) *
                            sizeof *out->decisions);
  uint64_t previous_step = 0;
  for (uint64_t i = 0; i < out->n_decisions; i++) {
    char *line = next_line(r);
    if (!line)
      reader_error(r, "the file ends after %llu of %llu decisions (truncated?)",
                   (unsigned long long)i, (unsigned long long)out->n_decisions);
    if (strcmp(line, RC_SCHEDULE_END) == 0)
      reader_error(r, "'end' after %llu of %llu decisions (truncated?)",
                   (unsigned long long)i, (unsigned long long)out->n_decisions);
    parse_decision(r, line, &out->decisions[i]);
    if (i > 0 && out->decisions[i].step <= previous_step)
      reader_error(r, "steps must increase (step %llu after %llu)",
                   (unsigned long long)out->decisions[i].step,
                   (unsigned long long)previous_step);
    previous_step = out->decisions[i].step;
  }
}

/* The optional `switches` section, then "end" and nothing after it. */
static void read_switches_and_end(rc_reader *r, const rc_schedule_file *out) {
  char *line = next_line(r);
  if (line && strncmp(line, RC_SCHEDULE_KEY_SWITCHES " ", 9) == 0) {
    /* The run's switches (for the shrinker; replay follows decisions). */
    uint64_t n_switches = parse_u64(r, line + 9, RC_SCHEDULE_KEY_SWITCHES);
    for (uint64_t i = 0; i < n_switches; i++) {
      line = next_line(r);
      if (!line || strcmp(line, RC_SCHEDULE_END) == 0)
        reader_error(r,
                     "the file ends after %llu of %llu switches (truncated?)",
                     (unsigned long long)i, (unsigned long long)n_switches);
      rc_guide_entry ignored;
      parse_switch(r, line, &ignored);
    }
    line = next_line(r);
  }
  if (!line)
    reader_error(r, "the file ends without the 'end' line (truncated?)");
  if (strcmp(line, RC_SCHEDULE_END) != 0)
    reader_error(r, "expected 'end' after %llu decisions, found '%s'",
                 (unsigned long long)out->n_decisions, line);
  if (next_line(r))
    reader_error(r, "unexpected text after 'end'");
}

void rc_schedule_reader_read(const char *path, rc_schedule_file *out) {
  rc_reader reader = {.path = path};
  rc_reader *r = &reader;
  memset(out, 0, sizeof *out);
  out->path = path;
  read_whole_file(r);
  if (r->len == 0)
    rc_fatal("malformed schedule file %s: the file is empty", path);
  read_required_keys(r, out);
  read_decisions(r, read_optional_keys(r, out), out);
  read_switches_and_end(r, out);
}

/* Reads the whole file and its header line, `header` exactly. */
static void open_list(rc_reader *r, const char *header, const char *what) {
  read_whole_file(r);
  char *line = next_line(r);
  if (!line || strcmp(line, header) != 0)
    reader_error(r, "%s starts with '%s'", what, header);
}

/* The next line of a list that ends with 'end'; null at that line. */
static char *next_list_line(rc_reader *r) {
  char *line = next_line(r);
  if (!line)
    reader_error(r, "the file ends without the 'end' line (truncated?)");
  return strcmp(line, RC_SCHEDULE_END) == 0 ? 0 : line;
}

void rc_guide_read(const char *path, rc_guide_entry **out, uint32_t *n_out) {
  rc_reader reader = {.path = path};
  rc_reader *r = &reader;
  open_list(r, RC_GUIDE_HEADER, "a guide file");
  uint32_t cap = 16, n = 0;
  rc_guide_entry *entries = rc_alloc(cap * sizeof *entries);
  char *line;
  while ((line = next_list_line(r))) {
    if (n == cap) {
      entries =
          rc_realloc(entries, cap * sizeof *entries, 2 * cap * sizeof *entries);
      cap *= 2;
    }
    parse_switch(r, line, &entries[n++]);
  }
  *out = entries;
  *n_out = n;
}

void rc_race_targets_read(const char *path, rc_race_target **out,
                          uint32_t *n_out) {
  rc_reader reader = {.path = path};
  rc_reader *r = &reader;
  open_list(r, RC_RACE_TARGETS_HEADER, "a race targets file");
  uint32_t n = 0, cap = 0;
  rc_race_target *targets = 0;
  char *line;
  while ((line = next_list_line(r))) {
    char *rest = line;
    if (strcmp(split_word(&rest), RC_SCHEDULE_KEY_RACE_TARGET) != 0)
      reader_error(r, "expected 'race_target' or 'end'");
    add_race_target(r, rest, &targets, &n, &cap);
  }
  *out = targets;
  *n_out = n;
}
