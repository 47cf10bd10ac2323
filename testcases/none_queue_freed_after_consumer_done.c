// EXPECT: none
// DESCRIPTION: the correct twin of race_queue_freed_at_shutdown.c: the consumer reads the queue while it holds the registry lock, so main's shutdown (null the pointer under the lock, then free) comes either before the consumer sees the pointer or after its last read
// SCHEDULES: 40
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
    if (q != NULL)
      sum += q->items[round];
    pthread_mutex_unlock(&registry_lock);
    if (q == NULL)
      break;
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
  free(old);
  void *sum;
  pthread_join(thread, &sum);
  printf("consumed %ld\n", (long)sum);
  return 0;
}
