// EXPECT: race
// DESCRIPTION: main "resets" a statistics block by zeroing its mutex with memset (a static re-initialisation) once a relaxed flag says the worker is done with it; a relaxed store orders nothing, so the worker's lock and unlock (which read the mutex) race with the memset (a write of every byte of it). Lock and unlock check the mutex's first byte only, as ThreadSanitizer does, which the memset writes too
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
  count_hit(); // SITE
  __atomic_store_n(&worker_done, 1, __ATOMIC_RELAXED);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  while (!__atomic_load_n(&worker_done, __ATOMIC_RELAXED))
    ;
  memset(&stats.lock, 0, sizeof stats.lock); // SITE
  pthread_join(t, NULL);
  printf("hits %ld\n", stats.hits);
  return 0;
}
