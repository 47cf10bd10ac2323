// EXPECT: none
// DESCRIPTION: a producer mallocs a block and publishes the pointer with a release store; the consumer spins on an acquire load and writes into the block. The allocation writes the whole block, but release/acquire orders it before the consumer's write: no race (twin of race_use_of_block_published_relaxed)
// SCHEDULES: 20
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
  struct slot *fresh = malloc(sizeof *fresh);
  atomic_store_explicit(&published, fresh, memory_order_release);
  return NULL;
}

static void *consumer(void *unused) {
  (void)unused;
  struct slot *s;
  while (!(s = atomic_load_explicit(&published, memory_order_acquire)))
    sched_yield();
  s->value = 7;
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
