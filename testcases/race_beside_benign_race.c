// EXPECT: race
// DESCRIPTION: the approximate hit counter is declared benign with racecheck_benign_race, but the
// workers also bump a miss counter without a lock that nobody declared: the declaration covers only
// its own range, so that race is reported SCHEDULES: 20 VARIABLE: misses
#include <pthread.h>
#include <stdio.h>
#ifdef __RACECHECK__
#include <racecheck/annotations.h>
#endif

long approximate_hits;
long total;
long misses;
pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++) {
    approximate_hits++;
    misses++;  // SITE
    pthread_mutex_lock(&total_lock);
    total++;
    pthread_mutex_unlock(&total_lock);
  }
  return NULL;
}

int main(void) {
#ifdef __RACECHECK__
  racecheck_benign_race(&approximate_hits, sizeof approximate_hits);
#endif
  pthread_t threads[2];
  for (int i = 0; i < 2; i++)
    if (pthread_create(&threads[i], NULL, worker, NULL) != 0) return 1;
  for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
  printf("total %ld\n", total);
  return 0;
}
