// EXPECT: crash
// DESCRIPTION: 100 threads in two stages: main starts 50 producers, the last of which to finish sets the plain flag stage_one_done, and then 50 consumers, each asserting the flag is set, as if the producers had finished because they started first; a consumer that runs before the last producer's store fails the assert (the races on the flag are reported too: ALLOW). Schedules to the bug at -O0 and -O2 (seed 0 on): pct:3 2, random 1
// ALLOW: data-race
// SCHEDULES: 10
// NEEDED: pct:3<=10 random<=10
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

enum { kPerStage = 50 };
long values[kPerStage];
int stage_one_done;
static pthread_mutex_t finished_lock = PTHREAD_MUTEX_INITIALIZER;
static int finished;

static void *producer(void *arg) {
  long i = (long)arg;
  values[i] = i * i;
  pthread_mutex_lock(&finished_lock);
  int last = ++finished == kPerStage;
  pthread_mutex_unlock(&finished_lock);
  if (last)
    stage_one_done = 1;
  return NULL;
}

static void *consumer(void *arg) {
  long i = (long)arg;
  assert(stage_one_done); // SITE
  return (void *)values[i];
}

int main(void) {
  pthread_t threads[2 * kPerStage];
  for (long i = 0; i < kPerStage; i++)
    pthread_create(&threads[i], NULL, producer, (void *)i);
  for (long i = 0; i < kPerStage; i++)
    pthread_create(&threads[kPerStage + i], NULL, consumer, (void *)i);
  long sum = 0;
  for (int i = 0; i < 2 * kPerStage; i++) {
    void *value;
    pthread_join(threads[i], &value);
    if (i >= kPerStage)
      sum += (long)value;
  }
  printf("sum %ld\n", sum);
  return 0;
}
