// EXPECT: hang
// DESCRIPTION: a worker spins on a relaxed atomic "start" flag that the main thread forgets to set (it sets a different flag); the bug keeps the program from ever ending natively. No step budget: the progress rule ends it, since the only other thread waits in pthread_join and nobody can set the flag any more
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

atomic_int start_requested; /* set by request_start(), which nobody calls */
void request_start(void) { atomic_store_explicit(&start_requested, 1, memory_order_relaxed); }
static atomic_int shutdown_requested;
static long work_done;

static void *worker(void *unused) {
  (void)unused;
  while (!atomic_load_explicit(&start_requested, memory_order_relaxed)) // SITE
    ;
  for (int i = 0; i < 100; i++)
    work_done += i;
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  /* Bug: the wrong flag; start_requested is never set. */
  atomic_store_explicit(&shutdown_requested, 1, memory_order_relaxed);
  pthread_join(thread, NULL);
  printf("work done: %ld\n", work_done);
  return 0;
}
