/* raw_writer.h — buffered output to a file through raw syscalls, for the
 * files the runtime writes at exit (run record, schedule file). No stdio and
 * no malloc, so it also works from a fatal-signal handler. */
#ifndef RACECHECK_RAW_WRITER_H
#define RACECHECK_RAW_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rc_out {
  int fd;
  bool failed; /* a write failed; later output is dropped */
  size_t len;
  char buf[1 << 16];
} rc_out;

/* Create or truncate `path`; false (and errno-style code in *error) on failure.
 */
bool rc_out_open(rc_out *o, const char *path, long *error);
/* Flush and close; true when every byte was written. */
bool rc_out_close(rc_out *o);
void rc_out_flush(rc_out *o);
void rc_out_bytes(rc_out *o, const char *s, size_t n);
void rc_out_str(rc_out *o, const char *s);
void rc_out_char(rc_out *o, char c);
void rc_out_u64(rc_out *o, uint64_t v);
void rc_out_i64(rc_out *o, int64_t v);
/* Spooling: output produced during the run into an anonymous temporary
 * file (O_TMPFILE in the directory of `near`, else in /tmp, else a named
 * file unlinked at once), so it needs no memory however long the run is,
 * and leaves nothing behind if the process dies. */
bool rc_out_open_spool(rc_out *spool, const char *near);
/* Flushes `spool` and appends everything written to it to `o`. */
void rc_out_append_spool(rc_out *o, rc_out *spool);
/* A bare token, %-encoded (racecheck/text_encoding.h): schedule, guide and
 * race-target files. */
void rc_out_token(rc_out *o, const char *s);
/* n bytes as a "quoted" string (racecheck/text_encoding.h). */
void rc_out_quoted(rc_out *o, const char *s, size_t n);

#endif /* RACECHECK_RAW_WRITER_H */
