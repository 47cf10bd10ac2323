// EXPECT: none
// SCHEDULES: 4
// DESCRIPTION: both threads count into 4,096 atomic bins with relaxed fetch_add, which publish nothing; meanwhile the producer fills 64 messages and publishes each with a release store to its own flag, and the consumer waits for each flag with an acquire load before reading the message: the release/acquire pairs order every message, whatever the relaxed traffic around them, so nothing races
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define BINS 4096
#define MESSAGES 64

atomic_long bins[BINS];
atomic_int ready[MESSAGES];
long messages[MESSAGES];

static void count(unsigned x, int n) {
  for (int i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    atomic_fetch_add_explicit(&bins[x % BINS], 1, memory_order_relaxed);
  }
}

static void *producer(void *unused) {
  (void)unused;
  for (int m = 0; m < MESSAGES; m++) {
    count(m + 1, 20);
    messages[m] = 1000 + m;
    atomic_store_explicit(&ready[m], 1, memory_order_release);
  }
  return NULL;
}

static void *consumer(void *unused) {
  (void)unused;
  long sum = 0;
  for (int m = 0; m < MESSAGES; m++) {
    count(m + 7777, 20);
    while (!atomic_load_explicit(&ready[m], memory_order_acquire))
      ;
    sum += messages[m];
  }
  return (void *)sum;
}

int main(void) {
  pthread_t p, c;
  void *sum;
  pthread_create(&p, NULL, producer, NULL);
  pthread_create(&c, NULL, consumer, NULL);
  pthread_join(p, NULL);
  pthread_join(c, &sum);
  long total = 0;
  for (int i = 0; i < BINS; i++)
    total += atomic_load_explicit(&bins[i], memory_order_relaxed);
  printf("%ld %ld\n", (long)sum, total);
  return (long)sum == 1000L * MESSAGES + MESSAGES * (MESSAGES - 1) / 2 ? 0 : 1;
}
