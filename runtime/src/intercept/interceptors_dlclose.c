/* interceptors_dlclose.c — dlclose keeps the library mapped. An instrumented
 * library's site descriptors, function names and globals live in its own
 * image, and the record written at exit refers to them (as do the findings
 * and stacks collected before): unmapping it would leave the runtime reading
 * freed memory. So the library is made RTLD_NODELETE first, as if it had been
 * opened with that flag; dlclose then drops the reference as usual, and the
 * library's destructors run at exit instead. */
#include "sched/scheduler.h"

#include <dlfcn.h>
#include <link.h>

static int (*real_dlclose)(void *);

RC_INTERCEPT int dlclose(void *handle) {
  RC_REAL(real_dlclose, "dlclose");
  struct link_map *map = 0;
  /* RTLD_NOLOAD | RTLD_NODELETE on a loaded object only promotes it to
   * NODELETE (and takes a reference, which the next call drops). */
  if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name &&
      map->l_name[0]) {
    void *pinned = dlopen(map->l_name, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
    if (pinned)
      real_dlclose(pinned);
  }
  return real_dlclose(handle);
}
