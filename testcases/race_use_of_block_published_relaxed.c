// EXPECT: race
// DESCRIPTION: a producer mallocs a block and publishes the pointer with a relaxed atomic store; the consumer spins on a relaxed load and writes into the block. Relaxed operations order nothing, so the consumer's write is not ordered after the allocation, which writes the whole block (as ThreadSanitizer's allocator has it): a race between the malloc and the use, although nobody stored to the block before publishing it
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

struct slot {
  int value;
};

static _Atomic(struct slot *) published;

static void *producer(void *unused) {
  (void)unused;
  struct slot *fresh = malloc(sizeof *fresh); // SITE
  atomic_store_explicit(&published, fresh, memory_order_relaxed);
  return NULL;
}

static void *consumer(void *unused) {
  (void)unused;
  struct slot *s;
  while (!(s = atomic_load_explicit(&published, memory_order_relaxed)))
    sched_yield();
  s->value = 7; // SITE
  return NULL;
}

int main(void) {
  pthread_t threads[2];
  pthread_create(&threads[0], NULL, producer, NULL);
  pthread_create(&threads[1], NULL, consumer, NULL);
  pthread_join(threads[0], NULL);
  pthread_join(threads[1], NULL);
  struct slot *s = atomic_load(&published);
  printf("%d\n", s->value);
  free(s);
  return 0;
}
