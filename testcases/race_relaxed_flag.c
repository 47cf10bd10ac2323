// EXPECT: race
// DESCRIPTION: a relaxed atomic flag publishes plain data: relaxed store/load give no happens-before, so the payload races
// VARIABLE: payload
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

int payload; /* external linkage: -O2 GlobalOpt cannot shrink or split it */
static atomic_int payload_ready;

static void *publish(void *unused) {
  (void)unused;
  payload = 42; // SITE
  atomic_store_explicit(&payload_ready, 1, memory_order_relaxed); /* should be release */
  return NULL;
}

static void *consume(void *result) {
  while (!atomic_load_explicit(&payload_ready, memory_order_relaxed)) /* should be acquire */
    ;
  *(int *)result = payload; // SITE
  return NULL;
}

int main(void) {
  pthread_t publisher, consumer;
  int seen = 0;
  pthread_create(&consumer, NULL, consume, &seen);
  pthread_create(&publisher, NULL, publish, NULL);
  pthread_join(publisher, NULL);
  pthread_join(consumer, NULL);
  printf("seen %d\n", seen);
  return 0;
}
