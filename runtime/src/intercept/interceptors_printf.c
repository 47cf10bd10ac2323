/* interceptors_printf.c — the memory effects of the printf family: each %s
 * argument is read (up to its NUL or the precision), and sprintf/snprintf
 * write the bytes they produce, checked like the caller's own accesses at
 * the call site (memory_effects.h), as ThreadSanitizer's printf interceptors
 * do. Plain and _FORTIFY_SOURCE (__*_chk) forms; each forwards to libc's
 * v-form with the caller's arguments untouched. Positional arguments
 * (%2$s, %1$*3$d) are followed; a format whose argument sizes are not all
 * known (a registered conversion, an argument no conversion names) is
 * followed only as far as they are, or not at all. The runtime's own
 * snprintf/vsnprintf calls are compiled as calls of the unchecked rc_libc_*
 * functions below (runtime/CMakeLists.txt). */
#undef snprintf
#undef vsnprintf

#include "intercept/memory_effects.h"
#include "sched/scheduler.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <wchar.h>

static size_t string_bytes(const char *s, int precision) {
  size_t n = 0;
  while ((precision < 0 || n < (size_t)precision) && s[n])
    n++;
  return precision >= 0 && n == (size_t)precision ? n : n + 1;
}

enum {
  ARG_UNKNOWN = 0,
  ARG_INT,
  ARG_LONG,
  ARG_DOUBLE,
  ARG_LONG_DOUBLE,
  ARG_POINTER
};

/* The kind of argument of conversion `c` with length modifier `length`
 * ('l' for l/ll/q/j/z/Z/t, 'L' for L, 'h' for h/hh, 0 for none);
 * ARG_UNKNOWN for a conversion whose argument is not known (a handler
 * registered with register_printf_function: stop there). */
static int argument_kind(char c, char length) {
  if (c && __builtin_strchr("eEfFgGaA", c))
    return length == 'L' ? ARG_LONG_DOUBLE : ARG_DOUBLE;
  if (c && __builtin_strchr("sSpn", c))
    return ARG_POINTER;
  if (c == 'c' || c == 'C') /* a wint_t too */
    return ARG_INT;
  if (c && __builtin_strchr("diouxX", c))
    return length == 'l' ? ARG_LONG : ARG_INT;
  return ARG_UNKNOWN;
}

/* A format's conversions and the arguments they take, numbered from 1 in
 * the caller's order: sequentially, or as the positions (%2$s, *1$)
 * say. Only what the string conversions need is kept. */
#define MAX_ARGS 64
typedef struct format_scan {
  uint8_t kind[MAX_ARGS + 1]; /* each argument's kind */
  int n_args;                 /* the highest argument number used */
  int n_strings;
  struct {
    char wide;         /* %ls or %S */
    int arg;           /* the string's argument */
    int precision;     /* -1: none */
    int precision_arg; /* the precision's argument (.*), or 0 */
  } strings[MAX_ARGS];
} format_scan;

/* The position "m$" at *p (then *p moves past it), else 0. */
static int position_at(const char **p) {
  const char *q = *p;
  int n = 0;
  while (*q >= '0' && *q <= '9' && n <= MAX_ARGS)
    n = n * 10 + (*q++ - '0');
  if (*q != '$' || q == *p)
    return 0;
  *p = q + 1;
  return n;
}

/* Notes that argument `n` is of `kind`; false if it cannot be followed. */
static bool note_argument(format_scan *f, int n, int kind) {
  if (n < 1 || n > MAX_ARGS || kind == ARG_UNKNOWN ||
      (f->kind[n] && f->kind[n] != kind))
    return false;
  f->kind[n] = (uint8_t)kind;
  if (n > f->n_args)
    f->n_args = n;
  return true;
}

/* The argument number of a '*' or of a value: its position in a format
 * with positions, else the next one. */
static int next_argument(const char **p, int *next, int positional) {
  return positional ? position_at(p) : ++*next;
}

/* Scans one conversion after its '%'; returns the format position of its
 * conversion character, or null where the scan must stop (a conversion or
 * numbering it cannot follow: glibc leaves mixed numbering undefined). */
static const char *scan_conversion(format_scan *f, const char *p, int *next,
                                   int *positional) {
  int value = position_at(&p);
  if (*positional < 0)
    *positional = value != 0;
  if (*positional != (value != 0))
    return 0;
  while (*p && __builtin_strchr("-+ #0'I", *p))
    p++;
  if (*p == '*') {
    p++;
    if (!note_argument(f, next_argument(&p, next, *positional), ARG_INT))
      return 0;
  }
  while (*p >= '0' && *p <= '9')
    p++;
  int precision = -1, precision_arg = 0;
  if (*p == '.') {
    p++;
    precision = 0;
    if (*p == '*') {
      p++;
      precision_arg = next_argument(&p, next, *positional);
      if (!note_argument(f, precision_arg, ARG_INT))
        return 0;
    }
    while (*p >= '0' && *p <= '9')
      precision = precision * 10 + (*p++ - '0');
  }
  char length = 0;
  while (*p && __builtin_strchr("hlLqjzZt", *p)) {
    length = *p == 'h' ? (length ? length : 'h') : *p == 'L' ? 'L' : 'l';
    p++;
  }
  if (*p == 'm') /* strerror(errno): no argument */
    return p;
  if (!*positional)
    value = ++*next; /* after its width and precision */
  if (!note_argument(f, value, argument_kind(*p, length)))
    return 0;
  if (*p == 's' || *p == 'S') {
    f->strings[f->n_strings].wide = *p == 'S' || length == 'l';
    f->strings[f->n_strings].arg = value;
    f->strings[f->n_strings].precision = precision;
    f->strings[f->n_strings].precision_arg = precision_arg;
    f->n_strings++;
  }
  return p;
}

/* Scans `format`; false when its arguments cannot be followed at all. A
 * sequential format is followed up to where the scan stops (the arguments
 * before are known); a positional one needs every conversion known. */
static bool scan_format(format_scan *f, const char *format) {
  int next = 0, positional = -1;
  for (const char *p = format; *p; p++) {
    if (*p != '%')
      continue;
    p++;
    if (*p == '%')
      continue;
    const char *end = scan_conversion(f, p, &next, &positional);
    if (!end)
      return positional != 1;
    p = end;
  }
  for (int n = 1; n <= f->n_args; n++)
    if (!f->kind[n])
      return false; /* an argument no conversion names: its size unknown */
  return true;
}

/* Reads every %s argument of `format` (a copy of the caller's arguments). */
static void read_string_arguments(const char *format, va_list args,
                                  const rc_site *site) {
  format_scan f;
  __builtin_memset(&f, 0, sizeof f);
  if (!scan_format(&f, format) || f.n_strings == 0)
    return;
  const void *pointers[MAX_ARGS + 1];
  int ints[MAX_ARGS + 1];
  va_list ap;
  va_copy(ap, args);
  for (int n = 1; n <= f.n_args; n++) {
    switch (f.kind[n]) {
    case ARG_LONG: (void)va_arg(ap, long long); break;
    case ARG_DOUBLE: (void)va_arg(ap, double); break;
    case ARG_LONG_DOUBLE: (void)va_arg(ap, long double); break;
    case ARG_POINTER: pointers[n] = va_arg(ap, const void *); break;
    default: ints[n] = va_arg(ap, int); break;
    }
  }
  va_end(ap);
  for (int i = 0; i < f.n_strings; i++) {
    const void *arg = pointers[f.strings[i].arg];
    int precision = f.strings[i].precision;
    if (f.strings[i].precision_arg)
      precision = ints[f.strings[i].precision_arg] < 0
                      ? -1
                      : ints[f.strings[i].precision_arg];
    if (!arg)
      continue;
    if (f.strings[i].wide)
      rc_libc_read_range(arg, (wcslen(arg) + 1) * sizeof(wchar_t), site);
    else
      rc_libc_read_range(arg, string_bytes(arg, precision), site);
  }
}

static void format_effects(const char *format, va_list ap) {
  if (rc_active_thread())
    read_string_arguments(format, ap, rc_caller_site());
}

/* What sprintf/snprintf wrote: `produced` bytes plus the NUL, within `cap`. */
static void output_written(char *s, int produced, size_t cap) {
  if (produced < 0 || cap == 0)
    return;
  size_t n = (size_t)produced + 1;
  rc_libc_write_range(s, n < cap ? n : cap, rc_caller_site());
}

static int (*real_vfprintf)(FILE *, const char *, va_list);
static int (*real_vsprintf)(char *, const char *, va_list);
static int (*real_vsnprintf)(char *, size_t, const char *, va_list);
static int (*real_vdprintf)(int, const char *, va_list);
static int (*real_vfprintf_chk)(FILE *, int, const char *, va_list);
static int (*real_vsprintf_chk)(char *, int, size_t, const char *, va_list);
static int (*real_vsnprintf_chk)(char *, size_t, int, size_t, const char *,
                                 va_list);
static int (*real_vdprintf_chk)(int, int, const char *, va_list);

/* ---- the runtime's own, unchecked ---- */
int rc_libc_vsnprintf(char *s, size_t n, const char *format, va_list ap) {
  RC_REAL(real_vsnprintf, "vsnprintf");
  return real_vsnprintf(s, n, format, ap);
}

int rc_libc_snprintf(char *s, size_t n, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  int r = rc_libc_vsnprintf(s, n, format, ap);
  va_end(ap);
  return r;
}

/* ---- the program's ---- */
RC_INTERCEPT int vfprintf(FILE *stream, const char *format, va_list ap) {
  RC_REAL(real_vfprintf, "vfprintf");
  format_effects(format, ap);
  return real_vfprintf(stream, format, ap);
}

/* stdio.h may define vprintf inline (as a vfprintf call, which optimised
 * programs then make): defined under another C name, with its symbol. */
RC_INTERCEPT int rc_vprintf(const char *, va_list) __asm__("vprintf");
RC_INTERCEPT int rc_vprintf(const char *format, va_list ap) {
  return vfprintf(stdout, format, ap);
}

RC_INTERCEPT int vsprintf(char *s, const char *format, va_list ap) {
  RC_REAL(real_vsprintf, "vsprintf");
  format_effects(format, ap);
  int r = real_vsprintf(s, format, ap);
  output_written(s, r, (size_t)-1);
  return r;
}

RC_INTERCEPT int vsnprintf(char *s, size_t n, const char *format, va_list ap) {
  RC_REAL(real_vsnprintf, "vsnprintf");
  format_effects(format, ap);
  int r = real_vsnprintf(s, n, format, ap);
  output_written(s, r, n);
  return r;
}

RC_INTERCEPT int vdprintf(int fd, const char *format, va_list ap) {
  RC_REAL(real_vdprintf, "vdprintf");
  format_effects(format, ap);
  return real_vdprintf(fd, format, ap);
}

RC_INTERCEPT int __vfprintf_chk(FILE *stream, int flag, const char *format,
                                va_list ap) {
  RC_REAL(real_vfprintf_chk, "__vfprintf_chk");
  format_effects(format, ap);
  return real_vfprintf_chk(stream, flag, format, ap);
}

RC_INTERCEPT int __vprintf_chk(int flag, const char *format, va_list ap) {
  return __vfprintf_chk(stdout, flag, format, ap);
}

RC_INTERCEPT int __vsprintf_chk(char *s, int flag, size_t s_size,
                                const char *format, va_list ap) {
  RC_REAL(real_vsprintf_chk, "__vsprintf_chk");
  format_effects(format, ap);
  int r = real_vsprintf_chk(s, flag, s_size, format, ap);
  output_written(s, r, s_size);
  return r;
}

RC_INTERCEPT int __vsnprintf_chk(char *s, size_t n, int flag, size_t s_size,
                                 const char *format, va_list ap) {
  RC_REAL(real_vsnprintf_chk, "__vsnprintf_chk");
  format_effects(format, ap);
  int r = real_vsnprintf_chk(s, n, flag, s_size, format, ap);
  output_written(s, r, n);
  return r;
}

RC_INTERCEPT int __vdprintf_chk(int fd, int flag, const char *format,
                                va_list ap) {
  RC_REAL(real_vdprintf_chk, "__vdprintf_chk");
  format_effects(format, ap);
  return real_vdprintf_chk(fd, flag, format, ap);
}

/* The variadic forms hand their arguments to the v-forms above. */
#define RC_VARIADIC(call)                                                      \
  va_list ap;                                                                  \
  va_start(ap, format);                                                        \
  int r = call;                                                                \
  va_end(ap);                                                                  \
  return r

RC_INTERCEPT int printf(const char *format, ...) {
  RC_VARIADIC(vfprintf(stdout, format, ap));
}
RC_INTERCEPT int fprintf(FILE *stream, const char *format, ...) {
  RC_VARIADIC(vfprintf(stream, format, ap));
}
RC_INTERCEPT int sprintf(char *s, const char *format, ...) {
  RC_VARIADIC(vsprintf(s, format, ap));
}
RC_INTERCEPT int snprintf(char *s, size_t n, const char *format, ...) {
  RC_VARIADIC(vsnprintf(s, n, format, ap));
}
RC_INTERCEPT int dprintf(int fd, const char *format, ...) {
  RC_VARIADIC(vdprintf(fd, format, ap));
}
RC_INTERCEPT int __printf_chk(int flag, const char *format, ...) {
  RC_VARIADIC(__vfprintf_chk(stdout, flag, format, ap));
}
RC_INTERCEPT int __fprintf_chk(FILE *stream, int flag, const char *format,
                               ...) {
  RC_VARIADIC(__vfprintf_chk(stream, flag, format, ap));
}
RC_INTERCEPT int __sprintf_chk(char *s, int flag, size_t s_size,
                               const char *format, ...) {
  RC_VARIADIC(__vsprintf_chk(s, flag, s_size, format, ap));
}
RC_INTERCEPT int __snprintf_chk(char *s, size_t n, int flag, size_t s_size,
                                const char *format, ...) {
  RC_VARIADIC(__vsnprintf_chk(s, n, flag, s_size, format, ap));
}
RC_INTERCEPT int __dprintf_chk(int fd, int flag, const char *format, ...) {
  RC_VARIADIC(__vdprintf_chk(fd, flag, format, ap));
}
