// EXPECT: none
// DESCRIPTION: a release store heads a release sequence that another thread's relaxed fetch_add continues; the reader acquires the RMW's value and reads the payload ordered (the counter saw only relaxed RMWs before the release)
// SCHEDULES: 20
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

int payload; /* external linkage: -O2 GlobalOpt cannot shrink or split it */
static atomic_int ready;

static void *publish(void *unused) {
  (void)unused;
  /* Relaxed RMWs on a location nothing released into yet. */
  for (int i = 0; i < 8; i++)
    atomic_fetch_add_explicit(&ready, 1, memory_order_relaxed);
  payload = 42;
  atomic_store_explicit(&ready, 100, memory_order_release);
  return NULL;
}

static void *bump(void *unused) {
  (void)unused;
  while (atomic_load_explicit(&ready, memory_order_relaxed) < 100)
    ;
  /* An RMW continues the release sequence (C++20 [intro.races]). */
  atomic_fetch_add_explicit(&ready, 1, memory_order_relaxed);
  return NULL;
}

static void *consume(void *result) {
  while (atomic_load_explicit(&ready, memory_order_relaxed) != 101)
    ;
  /* Reads the RMW's 101: ordered after the release store only through the
   * release sequence. */
  (void)atomic_load_explicit(&ready, memory_order_acquire);
  *(int *)result = payload;
  return NULL;
}

int main(void) {
  pthread_t t[3];
  int seen = 0;
  pthread_create(&t[0], NULL, consume, &seen);
  pthread_create(&t[1], NULL, bump, NULL);
  pthread_create(&t[2], NULL, publish, NULL);
  for (int i = 0; i < 3; i++)
    pthread_join(t[i], NULL);
  printf("seen %d\n", seen);
  return seen == 42 ? 0 : 1;
}
