// Benchmark: a 3-stage pipeline (source -> square -> sum) over two bounded
// queues of 16, each with a mutex and two condition variables; 300,000 items.
#include <pthread.h>
#include <stdio.h>
#include "bench_scale.h"
#define CAP 16
typedef struct queue {
  pthread_mutex_t lock;
  pthread_cond_t not_empty, not_full;
  long items[CAP], head, count;
} queue;
static queue q1 = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, {0}, 0, 0};
static queue q2 = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, {0}, 0, 0};
static long items;
static void put(queue *q, long v) {
  pthread_mutex_lock(&q->lock);
  while (q->count == CAP) pthread_cond_wait(&q->not_full, &q->lock);
  q->items[(q->head + q->count++) % CAP] = v;
  pthread_cond_signal(&q->not_empty);
  pthread_mutex_unlock(&q->lock);
}
static long take(queue *q) {
  pthread_mutex_lock(&q->lock);
  while (q->count == 0) pthread_cond_wait(&q->not_empty, &q->lock);
  long v = q->items[q->head];
  q->head = (q->head + 1) % CAP;
  q->count--;
  pthread_cond_signal(&q->not_full);
  pthread_mutex_unlock(&q->lock);
  return v;
}
static void *source(void *arg) {
  (void)arg;
  for (long i = 1; i <= items; i++) put(&q1, i);
  return NULL;
}
static void *square(void *arg) {
  (void)arg;
  for (long i = 0; i < items; i++) {
    long v = take(&q1);
    put(&q2, v * v % 1000003);
  }
  return NULL;
}
int main(void) {
  items = bench_scaled(300000);
  pthread_t a, b;
  pthread_create(&a, NULL, source, NULL);
  pthread_create(&b, NULL, square, NULL);
  long sum = 0;
  for (long i = 0; i < items; i++) sum += take(&q2);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("%ld\n", sum);
  return 0;
}
