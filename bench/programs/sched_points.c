// Benchmark: scheduling-point cost. THREADS (argv[1], default 4) threads x
// 100,000 iterations of a mutex lock/unlock around a shared counter plus a
// relaxed fetch_add on a shared atomic: every iteration is several scheduling
// points, so racecheck time / points (and / switches) is the per-point cost.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define ITERATIONS 100000
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static atomic_long hits;

static void *work(void *arg) {
  (void)arg;
  for (int i = 0; i < ITERATIONS; i++) {
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
    atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
  }
  return NULL;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 4;
  if (n < 1 || n > 64)
    n = 4;
  pthread_t threads[64];
  for (int i = 0; i < n; i++)
    pthread_create(&threads[i], NULL, work, NULL);
  for (int i = 0; i < n; i++)
    pthread_join(threads[i], NULL);
  printf("%ld %ld\n", counter, atomic_load(&hits));
  return counter == (long)n * ITERATIONS ? 0 : 1;
}
