// Benchmark: one producer, one consumer, a bounded queue of 16 with a mutex
// and two condition variables; 1,000,000 items.
#include <pthread.h>
#include <stdio.h>
#include "bench_scale.h"
#define CAP 16
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static long queue[CAP], head, count, items;
static void *producer(void *arg) {
  (void)arg;
  for (long i = 1; i <= items; i++) {
    pthread_mutex_lock(&lock);
    while (count == CAP) pthread_cond_wait(&not_full, &lock);
    queue[(head + count++) % CAP] = i;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}
int main(void) {
  items = bench_scaled(1000000);
  pthread_t p;
  pthread_create(&p, NULL, producer, NULL);
  long sum = 0;
  for (long i = 0; i < items; i++) {
    pthread_mutex_lock(&lock);
    while (count == 0) pthread_cond_wait(&not_empty, &lock);
    sum += queue[head];
    head = (head + 1) % CAP;
    count--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&lock);
  }
  pthread_join(p, NULL);
  printf("%ld\n", sum);
  return sum == items * (items + 1) / 2 ? 0 : 1;
}
