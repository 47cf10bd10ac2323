// Benchmark: 2 threads x 16,000,000 relaxed atomic fetch_add on a shared
// 64 K-bin histogram (atomic-heavy, race-free).
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include "bench_scale.h"
#define BINS (1 << 16)
static atomic_long bins[BINS];
static long per_thread;
static void *work(void *arg) {
  unsigned x = (unsigned)(long)arg * 2654435761u + 1;
  for (long i = 0; i < per_thread; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    atomic_fetch_add_explicit(&bins[x & (BINS - 1)], 1, memory_order_relaxed);
  }
  return NULL;
}
int main(void) {
  per_thread = bench_scaled(16000000);
  pthread_t t[2];
  for (long i = 0; i < 2; i++) pthread_create(&t[i], NULL, work, (void *)i);
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  long total = 0;
  for (int i = 0; i < BINS; i++) total += atomic_load_explicit(&bins[i], memory_order_relaxed);
  printf("%ld\n", total);
  return total == 2 * per_thread ? 0 : 1;
}
