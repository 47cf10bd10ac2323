/* interceptors_dl.c — dlclose: the real call between a copy of the loaded
 * instrumented libraries' read-only data and the return of what it unloaded
 * to its place (core/unloaded_modules.c), so findings that point into a
 * closed library keep their sites and names. */
#include "sched/scheduler.h"

static int (*real_dlclose)(void *);

RC_INTERCEPT int dlclose(void *handle) {
  RC_REAL(real_dlclose, "dlclose");
  rc_module_copies *copies = rc_copy_instrumented_modules();
  int result = real_dlclose(handle);
  rc_keep_unloaded_modules(copies);
  return result;
}
