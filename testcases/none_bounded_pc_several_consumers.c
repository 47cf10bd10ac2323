// EXPECT: none
// DESCRIPTION: a bounded producer/consumer queue (mutex + two condition variables) with one producer and three consumers; every thread waits for the mutex often, and under fair scheduling no consumer is bypassed without bound: the mutex is handed to whichever waiter runs first
// SCHEDULES: 8
#include <pthread.h>
#include <stdio.h>

#define CAPACITY 4
#define ITEMS 300
#define CONSUMERS 3

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static int items[CAPACITY];
static int head, count;
static int produced_all;

static void *producer(void *unused) {
  (void)unused;
  for (int i = 1; i <= ITEMS; i++) {
    pthread_mutex_lock(&queue_lock);
    while (count == CAPACITY)
      pthread_cond_wait(&not_full, &queue_lock);
    items[(head + count) % CAPACITY] = i;
    count++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&queue_lock);
  }
  pthread_mutex_lock(&queue_lock);
  produced_all = 1;
  pthread_cond_broadcast(&not_empty);
  pthread_mutex_unlock(&queue_lock);
  return NULL;
}

static void *consumer(void *result) {
  long sum = 0;
  for (;;) {
    pthread_mutex_lock(&queue_lock);
    while (count == 0 && !produced_all)
      pthread_cond_wait(&not_empty, &queue_lock);
    if (count == 0) { /* produced_all and drained */
      pthread_mutex_unlock(&queue_lock);
      break;
    }
    sum += items[head];
    head = (head + 1) % CAPACITY;
    count--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&queue_lock);
  }
  *(long *)result = sum;
  return NULL;
}

int main(void) {
  pthread_t producer_thread, consumers[CONSUMERS];
  long sums[CONSUMERS];
  pthread_create(&producer_thread, NULL, producer, NULL);
  for (int i = 0; i < CONSUMERS; i++)
    pthread_create(&consumers[i], NULL, consumer, &sums[i]);
  pthread_join(producer_thread, NULL);
  long total = 0;
  for (int i = 0; i < CONSUMERS; i++) {
    pthread_join(consumers[i], NULL);
    total += sums[i];
  }
  printf("consumed total %ld of %d\n", total, ITEMS * (ITEMS + 1) / 2);
  return 0;
}
