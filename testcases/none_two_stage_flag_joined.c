// EXPECT: none
// DESCRIPTION: the correct twin of crash_two_stage_flag_unset.c: main joins the 50 producers before it starts the 50 consumers, so the flag the last producer sets is set (and ordered by the joins) when a consumer reads it
// SCHEDULES: 40
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
  assert(stage_one_done);
  return (void *)values[i];
}

int main(void) {
  pthread_t threads[2 * kPerStage];
  for (long i = 0; i < kPerStage; i++)
    pthread_create(&threads[i], NULL, producer, (void *)i);
  for (long i = 0; i < kPerStage; i++)
    pthread_join(threads[i], NULL);
  for (long i = 0; i < kPerStage; i++)
    pthread_create(&threads[kPerStage + i], NULL, consumer, (void *)i);
  long sum = 0;
  for (int i = kPerStage; i < 2 * kPerStage; i++) {
    void *value;
    pthread_join(threads[i], &value);
    sum += (long)value;
  }
  printf("sum %ld\n", sum);
  return 0;
}
