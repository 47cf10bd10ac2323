/* raw_writer.c — buffered raw-syscall file output (see raw_writer.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* O_TMPFILE */
#endif
#include "record/raw_writer.h"

#include "core/runtime.h"
#include "racecheck/text_encoding.h"

#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>

bool rc_out_open(rc_out *o, const char *path, long *error) {
  long fd =
      rc_raw_syscall(SYS_openat, AT_FDCWD, (long)path,
                     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644, 0, 0);
  if (fd < 0) {
    if (error)
      *error = -fd;
    return false;
  }
  o->fd = (int)fd;
  o->failed = false;
  o->len = 0;
  return true;
}

bool rc_out_close(rc_out *o) {
  rc_out_flush(o);
  rc_raw_syscall(SYS_close, o->fd, 0, 0, 0, 0, 0);
  o->fd = -1;
  return !o->failed;
}

static long open_tmpfile(const char *dir) {
  return rc_raw_syscall(SYS_openat, AT_FDCWD, (long)dir,
                        O_TMPFILE | O_RDWR | O_CLOEXEC, 0600, 0, 0);
}

bool rc_out_open_spool(rc_out *spool, const char *near) {
  char dir[1024];
  size_t len = strlen(near), cut = 0;
  for (size_t i = 0; i < len; i++)
    if (near[i] == '/')
      cut = i ? i : 1; /* "/x" lives in "/" */
  if (len < sizeof dir - 16 && cut) {
    memcpy(dir, near, cut);
    dir[cut] = 0;
  } else {
    memcpy(dir, ".", 2);
  }
  long fd = open_tmpfile(dir);
  if (fd < 0)
    fd = open_tmpfile("/tmp");
  if (fd < 0 && len < sizeof dir - 16) { /* a file system without O_TMPFILE */
    memcpy(dir, near, len);
    memcpy(dir + len, ".spool~", 8);
    fd = rc_raw_syscall(SYS_openat, AT_FDCWD, (long)dir,
                        O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        0600, 0, 0);
    if (fd >= 0)
      rc_raw_syscall(SYS_unlinkat, AT_FDCWD, (long)dir, 0, 0, 0, 0);
  }
  if (fd < 0)
    return false;
  spool->fd = (int)fd;
  spool->failed = false;
  spool->len = 0;
  return true;
}

void rc_out_append_spool(rc_out *o, rc_out *spool) {
  static char chunk[1 << 16]; /* at the end of the run: one caller */
  rc_out_flush(spool);
  if (spool->failed)
    o->failed = true;
  for (long offset = 0;;) {
    long n = rc_raw_syscall(SYS_pread64, spool->fd, (long)chunk,
                            (long)sizeof chunk, offset, 0, 0);
    if (n == -4 /* EINTR */)
      continue;
    if (n < 0)
      o->failed = true;
    if (n <= 0)
      return;
    rc_out_bytes(o, chunk, (size_t)n);
    offset += n;
  }
}

void rc_out_flush(rc_out *o) {
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

void rc_out_bytes(rc_out *o, const char *s, size_t n) {
  while (n) {
    if (o->len == sizeof o->buf)
      rc_out_flush(o);
    size_t room = sizeof o->buf - o->len;
    size_t k = n < room ? n : room;
    memcpy(o->buf + o->len, s, k);
    o->len += k;
    s += k;
    n -= k;
  }
}

void rc_out_str(rc_out *o, const char *s) { rc_out_bytes(o, s, strlen(s)); }

void rc_out_char(rc_out *o, char c) { rc_out_bytes(o, &c, 1); }

void rc_out_u64(rc_out *o, uint64_t v) {
  char digits[RC_DECIMAL_U64_MAX];
  rc_out_bytes(o, digits, rc_decimal_u64(digits, v));
}

void rc_out_i64(rc_out *o, int64_t v) {
  if (v < 0) {
    rc_out_char(o, '-');
    rc_out_u64(o, (uint64_t)0 - (uint64_t)v);
  } else {
    rc_out_u64(o, (uint64_t)v);
  }
}

void rc_out_token(rc_out *o, const char *s) {
  for (; *s; s++) {
    char esc[RC_TOKEN_BYTE_MAX];
    rc_out_bytes(o, esc, rc_token_encode_byte((unsigned char)*s, esc));
  }
}

void rc_out_quoted(rc_out *o, const char *s, size_t n) {
  rc_out_bytes(o, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    char esc[RC_QUOTED_BYTE_MAX];
    rc_out_bytes(o, esc, rc_quoted_encode_byte((unsigned char)s[i], esc));
  }
  rc_out_bytes(o, "\"", 1);
}
