// EXPECT: crash
// DESCRIPTION: three threads increment one counter, two of them under lock a and the third under lock b: the locks do not exclude each other, so an increment under b that falls between another thread's plain load and store under a is lost and main's assert on the final count fails (the race on the counter is reported too: ALLOW). Schedules to the bug at -O0 and -O2 (seed 0 on): pct:3 33, random 11; before shared plain accesses were scheduling points, not within 2,000 by either
// ALLOW: data-race
// SCHEDULES: 40
// NEEDED: pct:3<=100 random<=40
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
long shared_count;

static void *increment(void *arg) {
  pthread_mutex_t *lock = arg;
  pthread_mutex_lock(lock);
  shared_count = shared_count + 1;
  pthread_mutex_unlock(lock);
  return NULL;
}

int main(void) {
  pthread_t threads[3];
  pthread_create(&threads[0], NULL, increment, &lock_a);
  pthread_create(&threads[1], NULL, increment, &lock_a);
  pthread_create(&threads[2], NULL, increment, &lock_b);
  for (int i = 0; i < 3; i++)
    pthread_join(threads[i], NULL);
  assert(shared_count == 3); // SITE
  printf("count %ld\n", shared_count);
  return 0;
}
