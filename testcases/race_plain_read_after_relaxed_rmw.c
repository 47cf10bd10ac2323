// EXPECT: race
// DESCRIPTION: a worker loads a counter with a relaxed load and then bumps it with a relaxed fetch_add, then raises a relaxed flag; main waits for the flag and reads the counter with a plain load. Relaxed operations order nothing, so the plain read races with the fetch_add (a write); the load before it, a read, must not stand in for the fetch_add when the same-epoch test settles atomic accesses
#include <pthread.h>
#include <stdio.h>

long counter;
static int worker_done;

static void *worker(void *unused) {
  (void)unused;
  long seen = __atomic_load_n(&counter, __ATOMIC_RELAXED);
  __atomic_fetch_add(&counter, seen + 1, __ATOMIC_RELAXED); // SITE
  __atomic_store_n(&worker_done, 1, __ATOMIC_RELAXED);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  while (!__atomic_load_n(&worker_done, __ATOMIC_RELAXED))
    ;
  long total = *(volatile long *)&counter; // SITE
  pthread_join(t, NULL);
  printf("counter %ld\n", total);
  return 0;
}
