// EXPECT: none
// DESCRIPTION: bounded producer/consumer ring buffer with one mutex and two condition variables (not_full, not_empty); items are heap records handed over through the queue
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { kCapacity = 4, kItemsPerProducer = 100, kProducers = 2, kConsumers = 2 };

struct record {
  int producer;
  int sequence;
};

static struct record *ring[kCapacity];
static int head, tail, count;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;

static void enqueue(struct record *item) {
  pthread_mutex_lock(&queue_lock);
  while (count == kCapacity)
    pthread_cond_wait(&not_full, &queue_lock);
  ring[tail] = item;
  tail = (tail + 1) % kCapacity;
  count++;
  pthread_cond_signal(&not_empty);
  pthread_mutex_unlock(&queue_lock);
}

static struct record *dequeue(void) {
  pthread_mutex_lock(&queue_lock);
  while (count == 0)
    pthread_cond_wait(&not_empty, &queue_lock);
  struct record *item = ring[head];
  head = (head + 1) % kCapacity;
  count--;
  pthread_cond_signal(&not_full);
  pthread_mutex_unlock(&queue_lock);
  return item;
}

static void *produce(void *arg) {
  for (int i = 0; i < kItemsPerProducer; i++) {
    struct record *item = malloc(sizeof *item); /* filled outside the lock */
    item->producer = (int)(long)arg;
    item->sequence = i;
    enqueue(item);
  }
  return NULL;
}

static void *consume(void *result) {
  long sum = 0;
  for (int i = 0; i < kItemsPerProducer * kProducers / kConsumers; i++) {
    struct record *item = dequeue();
    sum += item->sequence; /* read outside the lock: ordered by the queue */
    free(item);
  }
  *(long *)result = sum;
  return NULL;
}

int main(void) {
  pthread_t producers[kProducers], consumers[kConsumers];
  long sums[kConsumers] = {0};
  for (long i = 0; i < kConsumers; i++)
    pthread_create(&consumers[i], NULL, consume, &sums[i]);
  for (long i = 0; i < kProducers; i++)
    pthread_create(&producers[i], NULL, produce, (void *)i);
  for (int i = 0; i < kProducers; i++)
    pthread_join(producers[i], NULL);
  for (int i = 0; i < kConsumers; i++)
    pthread_join(consumers[i], NULL);
  long total = sums[0] + sums[1];
  printf("total %ld\n", total);
  return total == kProducers * (kItemsPerProducer * (kItemsPerProducer - 1) / 2) ? 0 : 1;
}
