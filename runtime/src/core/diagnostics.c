/* core/diagnostics.c — the runtime's own messages on stderr: fatal errors
 * (exit status 2) and the verbose trace (option verbose). Kept apart from
 * start-up so that every layer can report without depending on init.c. */
#include "core/runtime.h"

#include <stdio.h>
#include <sys/syscall.h>

void rc_write_message(char *buf, size_t size, const char *fmt, va_list ap) {
  vsnprintf(buf, size, fmt, ap);
  rc_write_stderr("racecheck: ");
  rc_write_stderr(buf);
  rc_write_stderr("\n");
}

void rc_vfatal(char *buf, size_t size, const char *fmt, va_list ap) {
  rc_write_message(buf, size, fmt, ap);
  rc_raw_syscall(SYS_exit_group, 2, 0, 0, 0, 0, 0);
  __builtin_unreachable();
}

void rc_fatal(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  rc_vfatal(buf, sizeof buf, fmt, ap);
}

void rc_verbose(const char *fmt, ...) {
  if (!g_rt.options.verbose)
    return;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  rc_write_message(buf, sizeof buf, fmt, ap);
  va_end(ap);
}
