// EXPECT: race
// DESCRIPTION: a release store is overwritten by another thread's relaxed store, which ends the release sequence: the reader acquires the relaxed store's value, gets no happens-before with the publisher, and its payload read races
// VARIABLE: payload
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

int payload; /* external linkage: -O2 GlobalOpt cannot shrink or split it */
static atomic_int ready;

static void *publish(void *unused) {
  (void)unused;
  for (int i = 0; i < 8; i++)
    atomic_fetch_add_explicit(&ready, 1, memory_order_relaxed);
  payload = 42; // SITE
  atomic_store_explicit(&ready, 100, memory_order_release);
  return NULL;
}

static void *overwrite(void *unused) {
  (void)unused;
  while (atomic_load_explicit(&ready, memory_order_relaxed) < 100)
    ;
  /* A plain store, not an RMW: the release sequence ends here. */
  atomic_store_explicit(&ready, 101, memory_order_relaxed);
  return NULL;
}

static void *consume(void *result) {
  /* Relaxed while waiting: an acquire load that read 100 would synchronize
   * with the release store itself. */
  while (atomic_load_explicit(&ready, memory_order_relaxed) != 101)
    ;
  (void)atomic_load_explicit(&ready, memory_order_acquire); /* reads 101 */
  *(int *)result = payload; // SITE
  return NULL;
}

int main(void) {
  pthread_t t[3];
  int seen = 0;
  pthread_create(&t[0], NULL, consume, &seen);
  pthread_create(&t[1], NULL, overwrite, NULL);
  pthread_create(&t[2], NULL, publish, NULL);
  for (int i = 0; i < 3; i++)
    pthread_join(t[i], NULL);
  printf("seen %d\n", seen);
  return 0;
}
