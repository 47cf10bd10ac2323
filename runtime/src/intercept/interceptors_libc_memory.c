/* interceptors_libc_memory.c — the memory effects of libc's string, memory
 * and stdio calls: the bytes each one reads or writes in the caller's
 * memory, checked like instrumented accesses at the call site
 * (memory_effects.h). The calls and byte ranges follow ThreadSanitizer's
 * common interceptors: a comparison or search reads up to the byte that
 * decided its result (memcmp and bcmp read all n bytes, as TSan's default
 * strict_memcmp), a copy reads its source and writes its destination, a
 * stdio output call reads the buffer it is given and an input call writes
 * the bytes it returns. The FILE itself is locked inside libc: two threads
 * writing to one stream do not race.
 *
 * Each forwards to libc's definition (RC_REAL) and checks the bytes it
 * touches. Nothing here is a scheduling point, nor a race-directed point.
 * The runtime's own calls of these names are compiled as calls of the
 * rc_libc_* functions below instead (see runtime/CMakeLists.txt): checked,
 * they would report runtime memory and re-enter the shadow from inside a
 * check. Calls from uninstrumented libraries (libstdc++'s strlen) are
 * checked at the last call site the program's code recorded. Not covered:
 * memcpy/memmove/memset called through the PLT from uninstrumented code
 * (instrumented code's are intrinsics, checked by the plugin), printf's %s
 * arguments (and the fortified printf family's). */
/* The rest of the runtime calls rc_libc_<name> for these (runtime/
 * CMakeLists.txt defines the names to that); here they are libc's. */
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strstr
#undef strcpy
#undef strncpy
#undef strcat

#include "intercept/memory_effects.h"
#include "sched/scheduler.h"

#include <stdio.h>
#include <string.h>

#define RC_READ(p, n) rc_libc_read_range((p), (n), rc_caller_site())
#define RC_WRITE(p, n) rc_libc_write_range((p), (n), rc_caller_site())

/* The index of the byte that decided a string comparison of at most `max`
 * bytes (the first that differs, or the terminating NUL), plus one. */
static size_t compared_bytes(const char *a, const char *b, size_t max) {
  size_t i = 0;
  while (i < max && a[i] == b[i] && a[i])
    i++;
  return i < max ? i + 1 : max;
}

static size_t bounded_length(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n])
    n++;
  return n;
}

static size_t length(const char *s) { return bounded_length(s, (size_t)-1); }

/* ---- the runtime's own string functions: plain loops, never checked ---- */

int rc_libc_memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i])
      return x[i] - y[i];
  return 0;
}

void *rc_libc_memchr(const void *s, int c, size_t n) {
  const unsigned char *p = s;
  for (size_t i = 0; i < n; i++)
    if (p[i] == (unsigned char)c)
      return (void *)(p + i);
  return 0;
}

size_t rc_libc_strlen(const char *s) { return length(s); }

size_t rc_libc_strnlen(const char *s, size_t max) {
  return bounded_length(s, max);
}

int rc_libc_strncmp(const char *a, const char *b, size_t max) {
  size_t n = compared_bytes(a, b, max);
  return n ? (unsigned char)a[n - 1] - (unsigned char)b[n - 1] : 0;
}

int rc_libc_strcmp(const char *a, const char *b) {
  return rc_libc_strncmp(a, b, (size_t)-1);
}

char *rc_libc_strchr(const char *s, int c) {
  for (;; s++) {
    if (*s == (char)c)
      return (char *)s;
    if (!*s)
      return 0;
  }
}

char *rc_libc_strrchr(const char *s, int c) {
  const char *last = 0;
  for (;; s++) {
    if (*s == (char)c)
      last = s;
    if (!*s)
      return (char *)last;
  }
}

char *rc_libc_strstr(const char *haystack, const char *needle) {
  size_t n = length(needle);
  for (; *haystack || !n; haystack++)
    if (rc_libc_strncmp(haystack, needle, n) == 0)
      return (char *)haystack;
  return 0;
}

char *rc_libc_strcpy(char *dst, const char *src) {
  for (size_t i = 0;; i++)
    if (!(dst[i] = src[i]))
      return dst;
}

char *rc_libc_strncpy(char *dst, const char *src, size_t n) {
  size_t i = 0;
  for (; i < n && src[i]; i++)
    dst[i] = src[i];
  for (; i < n; i++)
    dst[i] = 0;
  return dst;
}

char *rc_libc_strcat(char *dst, const char *src) {
  rc_libc_strcpy(dst + length(dst), src);
  return dst;
}

/* ---- comparisons and searches: reads ---- */

static int (*real_memcmp)(const void *, const void *, size_t);
static int (*real_bcmp)(const void *, const void *, size_t);
static void *(*real_memchr)(const void *, int, size_t);
static void *(*real_memrchr)(const void *, int, size_t);
static size_t (*real_strlen)(const char *);
static size_t (*real_strnlen)(const char *, size_t);
static int (*real_strcmp)(const char *, const char *);
static int (*real_strncmp)(const char *, const char *, size_t);
static char *(*real_strchr)(const char *, int);
static char *(*real_strrchr)(const char *, int);
static char *(*real_strstr)(const char *, const char *);

/* A comparison reads the same number of bytes of both operands. */
static int compared(int result, const void *a, const void *b, size_t n) {
  RC_READ(a, n);
  RC_READ(b, n);
  return result;
}

RC_INTERCEPT int memcmp(const void *a, const void *b, size_t n) {
  RC_REAL(real_memcmp, "memcmp");
  return compared(real_memcmp(a, b, n), a, b, n);
}

/* Clang turns memcmp(...) == 0 into bcmp. */
RC_INTERCEPT int bcmp(const void *a, const void *b, size_t n) {
  RC_REAL(real_bcmp, "bcmp");
  return compared(real_bcmp(a, b, n), a, b, n);
}

RC_INTERCEPT void *memchr(const void *s, int c, size_t n) {
  RC_REAL(real_memchr, "memchr");
  void *r = real_memchr(s, c, n);
  RC_READ(s, r ? (size_t)((const char *)r - (const char *)s) + 1 : n);
  return r;
}

RC_INTERCEPT void *memrchr(const void *s, int c, size_t n) {
  RC_REAL(real_memrchr, "memrchr");
  void *r = real_memrchr(s, c, n);
  RC_READ(s, n);
  return r;
}

RC_INTERCEPT size_t strlen(const char *s) {
  RC_REAL(real_strlen, "strlen");
  size_t n = real_strlen(s);
  RC_READ(s, n + 1);
  return n;
}

RC_INTERCEPT size_t strnlen(const char *s, size_t max) {
  RC_REAL(real_strnlen, "strnlen");
  size_t n = real_strnlen(s, max);
  RC_READ(s, n < max ? n + 1 : max);
  return n;
}

RC_INTERCEPT int strcmp(const char *a, const char *b) {
  RC_REAL(real_strcmp, "strcmp");
  return compared(real_strcmp(a, b), a, b, compared_bytes(a, b, (size_t)-1));
}

RC_INTERCEPT int strncmp(const char *a, const char *b, size_t max) {
  RC_REAL(real_strncmp, "strncmp");
  return compared(real_strncmp(a, b, max), a, b, compared_bytes(a, b, max));
}

RC_INTERCEPT char *strchr(const char *s, int c) {
  RC_REAL(real_strchr, "strchr");
  char *r = real_strchr(s, c);
  RC_READ(s, r ? (size_t)(r - s) + 1 : length(s) + 1);
  return r;
}

RC_INTERCEPT char *strrchr(const char *s, int c) {
  RC_REAL(real_strrchr, "strrchr");
  char *r = real_strrchr(s, c);
  RC_READ(s, length(s) + 1);
  return r;
}

RC_INTERCEPT char *strstr(const char *haystack, const char *needle) {
  RC_REAL(real_strstr, "strstr");
  char *r = real_strstr(haystack, needle);
  size_t needle_length = length(needle);
  RC_READ(haystack,
          r ? (size_t)(r - haystack) + needle_length : length(haystack) + 1);
  RC_READ(needle, needle_length + 1);
  return r;
}

/* ---- copies: read the source, write the destination ---- */

static char *(*real_strcpy)(char *, const char *);
static char *(*real_stpcpy)(char *, const char *);
static char *(*real_strncpy)(char *, const char *, size_t);
static char *(*real_strcat)(char *, const char *);
static char *(*real_strncat)(char *, const char *, size_t);
static char *(*real_strdup)(const char *);
static char *(*real_strndup)(const char *, size_t);
static void *(*real_memccpy)(void *, const void *, int, size_t);

/* Checked before the copy: afterwards the source may be overwritten when
 * the ranges overlap (undefined, but then still a race to report). */
static void string_copied(char *dst, const char *src) {
  size_t n = length(src) + 1;
  RC_READ(src, n);
  RC_WRITE(dst, n);
}

RC_INTERCEPT char *strcpy(char *dst, const char *src) {
  RC_REAL(real_strcpy, "strcpy");
  string_copied(dst, src);
  return real_strcpy(dst, src);
}

RC_INTERCEPT char *stpcpy(char *dst, const char *src) {
  RC_REAL(real_stpcpy, "stpcpy");
  string_copied(dst, src);
  return real_stpcpy(dst, src);
}

/* Reads up to the NUL or n bytes, writes all n (padding with NULs). */
static void bounded_string_copied(char *dst, const char *src, size_t n) {
  size_t copied = bounded_length(src, n);
  RC_READ(src, copied < n ? copied + 1 : n);
  RC_WRITE(dst, n);
}

/* strcat (max = SIZE_MAX) and strncat: reads the destination's string and
 * the source's bytes, writes them and the NUL after the destination's;
 * returns the bytes the result needs, NUL included. */
static size_t string_appended(char *dst, const char *src, size_t max,
                              size_t dst_size) {
  size_t dst_length = length(dst), copied = bounded_length(src, max);
  size_t needed = dst_length + copied + 1;
  if (needed <= dst_size) {
    RC_READ(dst, dst_length + 1);
    RC_READ(src, copied < max ? copied + 1 : max);
    RC_WRITE(dst + dst_length, copied + 1);
  }
  return needed;
}

RC_INTERCEPT char *strncpy(char *dst, const char *src, size_t n) {
  RC_REAL(real_strncpy, "strncpy");
  bounded_string_copied(dst, src, n);
  return real_strncpy(dst, src, n);
}

RC_INTERCEPT char *strcat(char *dst, const char *src) {
  RC_REAL(real_strcat, "strcat");
  string_appended(dst, src, (size_t)-1, (size_t)-1);
  return real_strcat(dst, src);
}

RC_INTERCEPT char *strncat(char *dst, const char *src, size_t max) {
  RC_REAL(real_strncat, "strncat");
  string_appended(dst, src, max, (size_t)-1);
  return real_strncat(dst, src, max);
}

/* The copy's block comes from malloc (intercepted: a fresh block). */
RC_INTERCEPT char *strdup(const char *s) {
  RC_REAL(real_strdup, "strdup");
  RC_READ(s, length(s) + 1);
  return real_strdup(s);
}

RC_INTERCEPT char *strndup(const char *s, size_t max) {
  RC_REAL(real_strndup, "strndup");
  size_t n = bounded_length(s, max);
  RC_READ(s, n < max ? n + 1 : max);
  return real_strndup(s, max);
}

RC_INTERCEPT void *memccpy(void *dst, const void *src, int c, size_t n) {
  RC_REAL(real_memccpy, "memccpy");
  const void *stop = memchr(src, c, n); /* its read is memccpy's */
  size_t copied =
      stop ? (size_t)((const char *)stop - (const char *)src) + 1 : n;
  RC_WRITE(dst, copied);
  return real_memccpy(dst, src, c, n);
}

/* ---- stdio: output reads the caller's buffer, input writes it ---- */

static int (*real_puts)(const char *);
static int (*real_fputs)(const char *, FILE *);
static size_t (*real_fwrite)(const void *, size_t, size_t, FILE *);
static size_t (*real_fread)(void *, size_t, size_t, FILE *);
static char *(*real_fgets)(char *, int, FILE *);

RC_INTERCEPT int puts(const char *s) {
  RC_REAL(real_puts, "puts");
  RC_READ(s, length(s) + 1);
  return real_puts(s);
}

RC_INTERCEPT int fputs(const char *s, FILE *stream) {
  RC_REAL(real_fputs, "fputs");
  RC_READ(s, length(s) + 1);
  return real_fputs(s, stream);
}

RC_INTERCEPT size_t fwrite(const void *p, size_t size, size_t count,
                           FILE *stream) {
  RC_REAL(real_fwrite, "fwrite");
  size_t bytes;
  if (!__builtin_mul_overflow(size, count, &bytes))
    RC_READ(p, bytes);
  return real_fwrite(p, size, count, stream);
}

/* What fread and fgets return is written into the caller's buffer. */
static size_t items_read(void *p, size_t size, size_t r) {
  RC_WRITE(p, r * size); /* r <= count: no overflow */
  return r;
}

static char *line_read(char *r) {
  if (r)
    RC_WRITE(r, length(r) + 1);
  return r;
}

RC_INTERCEPT size_t fread(void *p, size_t size, size_t count, FILE *stream) {
  RC_REAL(real_fread, "fread");
  return items_read(p, size, real_fread(p, size, count, stream));
}

RC_INTERCEPT char *fgets(char *s, int size, FILE *stream) {
  RC_REAL(real_fgets, "fgets");
  return line_read(real_fgets(s, size, stream));
}

/* ---- _FORTIFY_SOURCE's checked variants ----
 * A fortified build calls these where the destination's size is known and
 * the length is not: memcpy and memset then become calls instead of the
 * intrinsics the plugin instruments. Same effects as the plain calls, and
 * libc's own overflow check still runs (it aborts before any copy, so the
 * effects are checked only for a length that fits). */
static void *(*real_memcpy_chk)(void *, const void *, size_t, size_t);
static void *(*real_memmove_chk)(void *, const void *, size_t, size_t);
static void *(*real_memset_chk)(void *, int, size_t, size_t);
static char *(*real_strcpy_chk)(char *, const char *, size_t);
static char *(*real_stpcpy_chk)(char *, const char *, size_t);
static char *(*real_strcat_chk)(char *, const char *, size_t);

RC_INTERCEPT void *__memcpy_chk(void *dst, const void *src, size_t n,
                                size_t dst_size) {
  RC_REAL(real_memcpy_chk, "__memcpy_chk");
  if (n <= dst_size) {
    RC_READ(src, n);
    RC_WRITE(dst, n);
  }
  return real_memcpy_chk(dst, src, n, dst_size);
}

RC_INTERCEPT void *__memmove_chk(void *dst, const void *src, size_t n,
                                 size_t dst_size) {
  RC_REAL(real_memmove_chk, "__memmove_chk");
  if (n <= dst_size) {
    RC_READ(src, n);
    RC_WRITE(dst, n);
  }
  return real_memmove_chk(dst, src, n, dst_size);
}

RC_INTERCEPT void *__memset_chk(void *dst, int c, size_t n, size_t dst_size) {
  RC_REAL(real_memset_chk, "__memset_chk");
  if (n <= dst_size)
    RC_WRITE(dst, n);
  return real_memset_chk(dst, c, n, dst_size);
}

RC_INTERCEPT char *__strcpy_chk(char *dst, const char *src, size_t dst_size) {
  RC_REAL(real_strcpy_chk, "__strcpy_chk");
  if (length(src) < dst_size)
    string_copied(dst, src);
  return real_strcpy_chk(dst, src, dst_size);
}

RC_INTERCEPT char *__stpcpy_chk(char *dst, const char *src, size_t dst_size) {
  RC_REAL(real_stpcpy_chk, "__stpcpy_chk");
  if (length(src) < dst_size)
    string_copied(dst, src);
  return real_stpcpy_chk(dst, src, dst_size);
}

RC_INTERCEPT char *__strcat_chk(char *dst, const char *src, size_t dst_size) {
  RC_REAL(real_strcat_chk, "__strcat_chk");
  string_appended(dst, src, (size_t)-1, dst_size);
  return real_strcat_chk(dst, src, dst_size);
}

static char *(*real_strncpy_chk)(char *, const char *, size_t, size_t);
static char *(*real_strncat_chk)(char *, const char *, size_t, size_t);
static char *(*real_fgets_chk)(char *, size_t, int, FILE *);
static size_t (*real_fread_chk)(void *, size_t, size_t, size_t, FILE *);

RC_INTERCEPT char *__strncpy_chk(char *dst, const char *src, size_t n,
                                 size_t dst_size) {
  RC_REAL(real_strncpy_chk, "__strncpy_chk");
  if (n <= dst_size)
    bounded_string_copied(dst, src, n);
  return real_strncpy_chk(dst, src, n, dst_size);
}

RC_INTERCEPT char *__strncat_chk(char *dst, const char *src, size_t max,
                                 size_t dst_size) {
  RC_REAL(real_strncat_chk, "__strncat_chk");
  string_appended(dst, src, max, dst_size);
  return real_strncat_chk(dst, src, max, dst_size);
}

RC_INTERCEPT char *__fgets_chk(char *s, size_t s_size, int size, FILE *stream) {
  RC_REAL(real_fgets_chk, "__fgets_chk");
  return line_read(real_fgets_chk(s, s_size, size, stream));
}

RC_INTERCEPT size_t __fread_chk(void *p, size_t p_size, size_t size,
                                size_t count, FILE *stream) {
  RC_REAL(real_fread_chk, "__fread_chk");
  return items_read(p, size, real_fread_chk(p, p_size, size, count, stream));
}

/* ---- getline and getdelim: the line they return (and the buffer they may
 * have grown: the block comes from the intercepted malloc/realloc) ---- */
static ssize_t (*real_getdelim)(char **, size_t *, int, FILE *);

RC_INTERCEPT ssize_t getdelim(char **line, size_t *cap, int delim,
                              FILE *stream) {
  RC_REAL(real_getdelim, "getdelim");
  RC_READ(line, sizeof *line);
  RC_READ(cap, sizeof *cap);
  ssize_t r = real_getdelim(line, cap, delim, stream);
  RC_WRITE(line, sizeof *line);
  RC_WRITE(cap, sizeof *cap);
  if (r > 0)
    RC_WRITE(*line, (size_t)r + 1);
  return r;
}

/* stdio.h defines getline inline as a call of __getdelim when optimising
 * (so optimised programs call that) and the runtime is: these two are
 * defined under other C names, with the symbols' names. */
RC_INTERCEPT ssize_t rc_getline(char **, size_t *, FILE *) __asm__("getline");
RC_INTERCEPT ssize_t rc_getline(char **line, size_t *cap, FILE *stream) {
  return getdelim(line, cap, '\n', stream);
}

RC_INTERCEPT ssize_t rc_getdelim_internal(char **, size_t *, int,
                                          FILE *) __asm__("__getdelim");
RC_INTERCEPT ssize_t rc_getdelim_internal(char **line, size_t *cap, int delim,
                                          FILE *stream) {
  return getdelim(line, cap, delim, stream);
}
