/* worker.c — a shared library (-fPIC -shared) whose worker_bump races on its own global: found
 * only when the executable that loads it (dlopen or linked) carries the runtime. */
#include <pthread.h>

static int worker_total;

void *worker_bump(void *arg) {
  (void)arg;
  worker_total++;
  return 0;
}

int worker_read(void) { return worker_total; }
