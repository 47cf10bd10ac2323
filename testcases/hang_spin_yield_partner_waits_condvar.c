// EXPECT: hang
// DESCRIPTION: a worker spins with sched_yield on an atomic "go" flag before it signals "done"; the main thread waits on the condition variable for "done" but forgot to set "go" first, so nobody can ever set it. The bug keeps the program from ending natively; the progress rule must end it without a step budget
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

atomic_int go; /* set by start_worker(), which main forgets to call */
void start_worker(void) { atomic_store_explicit(&go, 1, memory_order_release); }
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int done;

static void *worker(void *unused) {
  (void)unused;
  while (!atomic_load_explicit(&go, memory_order_acquire)) // SITE
    sched_yield();
  pthread_mutex_lock(&lock);
  done = 1;
  pthread_cond_signal(&changed);
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  /* Bug: start_worker() is missing here. */
  pthread_mutex_lock(&lock);
  while (!done)
    pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
  pthread_join(thread, NULL);
  printf("done\n");
  return 0;
}
