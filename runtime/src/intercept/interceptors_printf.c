/* interceptors_printf.c — the memory effects of the printf family: each %s
 * argument is read (up to its NUL or the precision), and sprintf/snprintf
 * write the bytes they produce, checked like the caller's own accesses at
 * the call site (memory_effects.h), as ThreadSanitizer's printf interceptors
 * do. Plain and _FORTIFY_SOURCE (__*_chk) forms; each forwards to libc's
 * v-form with the caller's arguments untouched. A format with positional
 * arguments (%1$s) is not scanned. The runtime's own snprintf/vsnprintf
 * calls are compiled as calls of the unchecked rc_libc_* functions below
 * (runtime/CMakeLists.txt). */
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

enum { ARG_INT, ARG_LONG, ARG_DOUBLE, ARG_LONG_DOUBLE, ARG_POINTER };

/* Takes one argument of the size the length modifier and conversion say. */
static const void *take_argument(va_list *ap, int kind) {
  switch (kind) {
  case ARG_LONG: (void)va_arg(*ap, long long); return 0;
  case ARG_DOUBLE: (void)va_arg(*ap, double); return 0;
  case ARG_LONG_DOUBLE: (void)va_arg(*ap, long double); return 0;
  case ARG_POINTER: return va_arg(*ap, const void *);
  default: (void)va_arg(*ap, int); return 0;
  }
}

/* The kind of argument of conversion `c` with length modifier `length`
 * ('l' for l/ll/q/j/z/Z/t, 'L' for L, 'h' for h/hh, 0 for none). */
static int argument_kind(char c, char length) {
  switch (c) {
  case 'e':
  case 'E':
  case 'f':
  case 'F':
  case 'g':
  case 'G':
  case 'a':
  case 'A': return length == 'L' ? ARG_LONG_DOUBLE : ARG_DOUBLE;
  case 's':
  case 'S':
  case 'p':
  case 'n': return ARG_POINTER;
  default: return length == 'l' ? ARG_LONG : ARG_INT;
  }
}

/* Reads every %s argument of `format` (a copy of the caller's arguments). */
static void read_string_arguments(const char *format, va_list args,
                                  const rc_site *site) {
  va_list ap;
  va_copy(ap, args);
  for (const char *p = format; *p; p++) {
    if (*p != '%')
      continue;
    p++;
    if (*p == '%')
      continue;
    const char *q = p;
    while (*q >= '0' && *q <= '9')
      q++;
    if (*q == '$')
      break; /* positional arguments: not followed */
    while (*p && __builtin_strchr("-+ #0'I", *p))
      p++;
    if (*p == '*') {
      (void)va_arg(ap, int);
      p++;
    }
    while (*p >= '0' && *p <= '9')
      p++;
    int precision = -1;
    if (*p == '.') {
      p++;
      precision = 0;
      if (*p == '*') {
        precision = va_arg(ap, int);
        p++;
      }
      while (*p >= '0' && *p <= '9')
        precision = precision * 10 + (*p++ - '0');
    }
    char length = 0;
    while (*p && __builtin_strchr("hlLqjzZt", *p)) {
      length = *p == 'h' ? (length ? length : 'h') : *p == 'L' ? 'L' : 'l';
      p++;
    }
    if (!*p)
      break;
    const void *arg = take_argument(&ap, argument_kind(*p, length));
    if (*p == 's' && length != 'l' && arg)
      rc_libc_read_range(arg, string_bytes(arg, precision), site);
    else if ((*p == 'S' || (*p == 's' && length == 'l')) && arg)
      rc_libc_read_range(arg, (wcslen(arg) + 1) * sizeof(wchar_t), site);
  }
  va_end(ap);
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
