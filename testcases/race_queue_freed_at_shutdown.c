// EXPECT: race
// DESCRIPTION: a consumer takes the queue pointer under the registry lock, lets go of the lock and then reads the queue; at shutdown main takes the lock, nulls the pointer, lets go and frees the queue. When main's shutdown falls between the consumer's unlock and its read, the read uses a queue already freed (or about to be, unordered): racecheck reports the free, a write of the whole block, racing with the read. Schedules to the bug at -O0 and -O2 (seed 0 on): pct:3 1, random 3
// SCHEDULES: 10
// NEEDED: pct:3<=10 random<=10
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct queue {
  long items[4];
};
struct queue *registered_queue;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static void *consumer(void *arg) {
  (void)arg;
  long sum = 0;
  for (int round = 0; round < 3; round++) {
    pthread_mutex_lock(&registry_lock);
    struct queue *q = registered_queue;
    pthread_mutex_unlock(&registry_lock);
    if (q == NULL)
      break;
    sum += q->items[round]; // SITE
  }
  return (void *)sum;
}

int main(void) {
  registered_queue = calloc(1, sizeof *registered_queue);
  for (int i = 0; i < 4; i++)
    registered_queue->items[i] = i;
  pthread_t thread;
  pthread_create(&thread, NULL, consumer, NULL);
  pthread_mutex_lock(&registry_lock);
  struct queue *old = registered_queue;
  registered_queue = NULL;
  pthread_mutex_unlock(&registry_lock);
  free(old); // SITE
  void *sum;
  pthread_join(thread, &sum);
  printf("consumed %ld\n", (long)sum);
  return 0;
}
