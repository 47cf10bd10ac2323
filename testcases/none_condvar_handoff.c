// EXPECT: none
// DESCRIPTION: condition-variable handoff with a predicate loop; the payload is written before and read after the locked handoff
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t handoff_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t handoff_cond = PTHREAD_COND_INITIALIZER;
static int payload_ready; /* the predicate, guarded by handoff_lock */
static int payload[8];    /* written before, read after the handoff */

static void *produce(void *unused) {
  (void)unused;
  for (int i = 0; i < 8; i++)
    payload[i] = i * i;
  pthread_mutex_lock(&handoff_lock);
  payload_ready = 1;
  pthread_cond_signal(&handoff_cond);
  pthread_mutex_unlock(&handoff_lock);
  return NULL;
}

static void *consume(void *result) {
  pthread_mutex_lock(&handoff_lock);
  while (!payload_ready)
    pthread_cond_wait(&handoff_cond, &handoff_lock);
  pthread_mutex_unlock(&handoff_lock);
  int sum = 0;
  for (int i = 0; i < 8; i++)
    sum += payload[i];
  *(int *)result = sum;
  return NULL;
}

int main(void) {
  int sum = 0;
  pthread_t producer, consumer;
  pthread_create(&consumer, NULL, consume, &sum);
  pthread_create(&producer, NULL, produce, NULL);
  pthread_join(producer, NULL);
  pthread_join(consumer, NULL);
  printf("sum %d\n", sum);
  return sum == 140 ? 0 : 1;
}
