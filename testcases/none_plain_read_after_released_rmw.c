// EXPECT: none
// DESCRIPTION: the correct twin of race_plain_read_after_relaxed_rmw: the worker's relaxed load and fetch_add of the counter come before its release store of the flag, which main's acquire load reads, so main's plain read of the counter is ordered after both
#include <pthread.h>
#include <stdio.h>

long counter;
static int worker_done;

static void *worker(void *unused) {
  (void)unused;
  for (int i = 0; i < 3; i++) {
    long seen = __atomic_load_n(&counter, __ATOMIC_RELAXED);
    __atomic_fetch_add(&counter, seen + 1, __ATOMIC_RELAXED);
  }
  __atomic_store_n(&worker_done, 1, __ATOMIC_RELEASE);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  while (!__atomic_load_n(&worker_done, __ATOMIC_ACQUIRE))
    ;
  long total = *(volatile long *)&counter;
  pthread_join(t, NULL);
  printf("counter %ld\n", total);
  return 0;
}
