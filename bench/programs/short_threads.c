// Benchmark: 2,000 short-lived threads, created 8 at a time, each adding to
// a mutex-protected sum and ending (thread creation and exit).
#include <pthread.h>
#include <stdio.h>
#include "bench_scale.h"
#define BATCH 8
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long sum;
static void *work(void *arg) {
  long v = (long)arg, local = 0;
  for (long i = 0; i < 100; i++) local += v ^ i;
  pthread_mutex_lock(&lock);
  sum += local;
  pthread_mutex_unlock(&lock);
  return NULL;
}
int main(void) {
  long threads = bench_scaled(2000);
  for (long done = 0; done < threads; done += BATCH) {
    pthread_t t[BATCH];
    int n = threads - done < BATCH ? (int)(threads - done) : BATCH;
    for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, work, (void *)(done + i));
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
  }
  printf("%ld\n", sum);
  return 0;
}
