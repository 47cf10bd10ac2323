// EXPECT: race
// DESCRIPTION: main "resets" the statistics by re-initialising their mutex with pthread_mutex_init once a relaxed flag says the worker is done with it; a relaxed store orders nothing, so the worker's lock and unlock (reads of the mutex) race with the re-init (a write of it)
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t stats_lock;
static long hits;
static int worker_done;

static void count_hit(void) {
  pthread_mutex_lock(&stats_lock);
  hits++;
  pthread_mutex_unlock(&stats_lock);
}

static void *worker(void *unused) {
  (void)unused;
  count_hit(); // SITE
  __atomic_store_n(&worker_done, 1, __ATOMIC_RELAXED);
  return NULL;
}

int main(void) {
  pthread_mutex_init(&stats_lock, NULL);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  while (!__atomic_load_n(&worker_done, __ATOMIC_RELAXED))
    ;
  pthread_mutex_init(&stats_lock, NULL); // SITE
  pthread_join(t, NULL);
  printf("hits %ld\n", hits);
  return 0;
}
