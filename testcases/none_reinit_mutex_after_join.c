// EXPECT: none
// DESCRIPTION: the correct twin of race_reinit_mutex_while_worker_locks: main re-initialises the statistics' mutex only after joining the worker that used it (the join orders the worker's lock and unlock before the re-init)
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t stats_lock;
static long hits;

static void count_hit(void) {
  pthread_mutex_lock(&stats_lock);
  hits++;
  pthread_mutex_unlock(&stats_lock);
}

static void *worker(void *unused) {
  (void)unused;
  count_hit();
  return NULL;
}

int main(void) {
  pthread_mutex_init(&stats_lock, NULL);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_join(t, NULL);
  pthread_mutex_init(&stats_lock, NULL);
  count_hit();
  pthread_mutex_destroy(&stats_lock);
  printf("hits %ld\n", hits);
  return 0;
}
