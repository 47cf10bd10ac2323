/* flags.c — RACECHECK_OPTIONS: defaults and parsing of the options declared
 * once in racecheck/options.inc ("name=value" pairs separated by ':' or
 * spaces). Errors are fatal and name the offending option, since a silently
 * ignored option would make a run mean something other than what the user
 * asked; rc_flags_try_parse reports them instead, for callers (and the
 * fuzzer) that must survive a refusal. */
#include "sched/scheduler.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void rc_flags_set_defaults(rc_options *options) {
#define RC_FLAG(type, name, default_value, description)                        \
  options->name = (rc_flag_##type)(default_value);
#include "racecheck/options.inc"
#undef RC_FLAG
}

/* Formats the message into `buf`; always false, for `return flags_error`. */
static bool flags_error(char *buf, size_t size, const char *what,
                        const char *name, size_t name_len) {
  int n = snprintf(buf, size, "racecheck: RACECHECK_OPTIONS: %s '%.*s'", what,
                   (int)name_len, name);
  if (strcmp(what, "unknown option") == 0) {
    if ((size_t)n < size)
      n += snprintf(buf + n, size - (size_t)n, "; valid options:");
#define RC_FLAG(type, flag, default_value, description)                        \
  if ((size_t)n < size)                                                        \
    n += snprintf(buf + n, size - (size_t)n, " %s", #flag);
#include "racecheck/options.inc"
#undef RC_FLAG
  }
  return false;
}

static bool parse_u64(const char *s, size_t len, uint64_t *out) {
  char buf[32];
  if (len == 0 || len >= sizeof buf)
    return false;
  memcpy(buf, s, len);
  buf[len] = 0;
  if (buf[0] == '-' || buf[0] == '+')
    return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(buf, &end, 0);
  if (errno || *end)
    return false;
  *out = v;
  return true;
}

static bool parse_bool(const char *s, size_t len, bool *out) {
  if ((len == 1 && s[0] == '1') || (len == 4 && !strncmp(s, "true", 4)) ||
      (len == 3 && !strncmp(s, "yes", 3))) {
    *out = true;
    return true;
  }
  if ((len == 1 && s[0] == '0') || (len == 5 && !strncmp(s, "false", 5)) ||
      (len == 2 && !strncmp(s, "no", 2))) {
    *out = false;
    return true;
  }
  return false;
}

static char *copy_str(const char *s, size_t len) {
  char *r = rc_alloc(len + 1);
  memcpy(r, s, len);
  r[len] = 0;
  return r;
}

static bool name_is(const char *name, size_t len, const char *flag) {
  return strlen(flag) == len && memcmp(name, flag, len) == 0;
}

/* Assigns one "name=value"; the value may not contain separators. */
static bool set_one(rc_options *options, const char *item, size_t len,
                    char *error, size_t error_size) {
  const char *eq = memchr(item, '=', len);
  if (!eq)
    return flags_error(error, error_size, "expected name=value, got", item,
                       len);
  size_t name_len = (size_t)(eq - item);
  const char *value = eq + 1;
  size_t value_len = len - name_len - 1;
#define RC_FLAG(type, flag, default_value, description)                        \
  if (name_is(item, name_len, #flag)) {                                        \
    if (!parse_##type(value, value_len, &options->flag))                       \
      return flags_error(error, error_size, "bad value for option", item,      \
                         len);                                                 \
    return true;                                                               \
  }
#define parse_str(s, len, out) (*(out) = copy_str(s, len), true)
#include "racecheck/options.inc"
#undef parse_str
#undef RC_FLAG
  return flags_error(error, error_size, "unknown option", item, name_len);
}

bool rc_flags_try_parse(rc_options *options, const char *text, char *error,
                        size_t error_size) {
  if (!text)
    return true;
  const char *p = text;
  while (*p) {
    while (*p == ':' || *p == ' ' || *p == '\t' || *p == '\n')
      p++;
    const char *start = p;
    while (*p && *p != ':' && *p != ' ' && *p != '\t' && *p != '\n')
      p++;
    if (p > start &&
        !set_one(options, start, (size_t)(p - start), error, error_size))
      return false;
  }
  return true;
}

void rc_flags_parse(rc_options *options, const char *text) {
  char error[1024];
  if (!rc_flags_try_parse(options, text, error, sizeof error)) {
    rc_write_stderr(error);
    rc_write_stderr("\n");
    _exit(2);
  }
}
