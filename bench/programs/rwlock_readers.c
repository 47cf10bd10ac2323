// Benchmark: 8 readers sum a table under a pthread_rwlock_t read lock while
// one writer updates it under the write lock (200,000 read sections each).
#include <pthread.h>
#include <stdio.h>
#include "bench_scale.h"
#define READERS 8
#define SLOTS 16
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static long table[SLOTS], reads_per_thread;
static long sums[READERS];
static void *reader(void *arg) {
  long id = (long)arg, sum = 0;
  for (long i = 0; i < reads_per_thread; i++) {
    pthread_rwlock_rdlock(&lock);
    sum += table[i % SLOTS];
    pthread_rwlock_unlock(&lock);
  }
  sums[id] = sum;
  return NULL;
}
static void *writer(void *arg) {
  (void)arg;
  for (long i = 0; i < reads_per_thread / 16; i++) {
    pthread_rwlock_wrlock(&lock);
    table[i % SLOTS]++;
    pthread_rwlock_unlock(&lock);
  }
  return NULL;
}
int main(void) {
  reads_per_thread = bench_scaled(200000);
  pthread_t t[READERS + 1];
  for (long i = 0; i < READERS; i++) pthread_create(&t[i], NULL, reader, (void *)i);
  pthread_create(&t[READERS], NULL, writer, NULL);
  long total = 0;
  for (int i = 0; i <= READERS; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < READERS; i++) total += sums[i];
  printf("%ld\n", total);
  return 0;
}
