// Benchmark: 4 threads x 750,000 increments of one counter under one mutex
// (sync-heavy, more threads than cores). lock_8threads.c includes it with
// other counts.
#include <pthread.h>
#include <stdio.h>
#include "bench_scale.h"
#ifndef THREADS
#define THREADS 4
#define PER_THREAD 750000
#endif
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
  per_thread = bench_scaled(PER_THREAD);
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, work, NULL);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  printf("%ld\n", counter);
  return counter == THREADS * per_thread ? 0 : 1;
}
