// EXPECT: none
// DESCRIPTION: the correct twin of race_zeroed_mutex_while_worker_locks: the worker says it is done with a release store and main waits for it with acquire loads, so the worker's lock and unlock (reads of the mutex's first byte) happen before main zeroes the mutex with memset
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct stats {
  pthread_mutex_t lock;
  long hits;
};
struct stats stats = {PTHREAD_MUTEX_INITIALIZER, 0};
static int worker_done;

static void count_hit(void) {
  pthread_mutex_lock(&stats.lock);
  stats.hits++;
  pthread_mutex_unlock(&stats.lock);
}

static void *worker(void *unused) {
  (void)unused;
  count_hit();
  __atomic_store_n(&worker_done, 1, __ATOMIC_RELEASE);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  while (!__atomic_load_n(&worker_done, __ATOMIC_ACQUIRE))
    ;
  memset(&stats.lock, 0, sizeof stats.lock);
  count_hit();
  pthread_join(t, NULL);
  printf("hits %ld\n", stats.hits);
  return 0;
}
