// Benchmark: 4 threads x 750,000 increments of one counter under one mutex
// (sync-heavy, more threads than cores).
#include <pthread.h>
#include <stdio.h>
#include "bench_scale.h"
#define THREADS 4
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter, per_thread;
static void *work(void *arg) {
  (void)arg;
  for (long i = 0; i < per_thread; i++) {
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}
int main(void) {
  per_thread = bench_scaled(750000);
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, work, NULL);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  printf("%ld\n", counter);
  return counter == THREADS * per_thread ? 0 : 1;
}
