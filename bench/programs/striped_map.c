// Benchmark: a hash map of 4,096 buckets in 16 stripes, one mutex per
// stripe; 4 threads x 500,000 mixed inserts and lookups.
#include <pthread.h>
#include <stdio.h>
#include "bench_scale.h"
#define THREADS 4
#define BUCKETS 4096
#define STRIPES 16
static pthread_mutex_t stripe[STRIPES];
static long keys[BUCKETS], values[BUCKETS];
static long per_thread, hits[THREADS];
static void *work(void *arg) {
  long id = (long)arg;
  unsigned x = (unsigned)id * 2654435761u + 7;
  for (long i = 0; i < per_thread; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    long key = x % 100000, b = key % BUCKETS;
    pthread_mutex_t *m = &stripe[b % STRIPES];
    pthread_mutex_lock(m);
    if (i & 1) {
      keys[b] = key;
      values[b] += 1;
    } else if (keys[b] == key) {
      hits[id]++;
    }
    pthread_mutex_unlock(m);
  }
  return NULL;
}
int main(void) {
  per_thread = bench_scaled(500000);
  for (int i = 0; i < STRIPES; i++) pthread_mutex_init(&stripe[i], NULL);
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, work, (void *)i);
  long total = 0;
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < THREADS; i++) total += hits[i];
  printf("%ld\n", total);
  return 0;
}
