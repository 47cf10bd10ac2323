// EXPECT: race
// DESCRIPTION: main frees a block and only then, through a relaxed flag that orders nothing, lets a worker read it: the free (a write of the whole block) races with the later read
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_int block_released;

static void *read_late(void *arg) {
  const long *totals = arg;
  while (!atomic_load_explicit(&block_released, memory_order_relaxed))
    ;
  long first = totals[0]; // SITE
  return (void *)first;
}

int main(void) {
  /* 512 bytes: glibc keeps such a freed block mapped, so the late read stays
   * harmless natively (ASan would call it a use-after-free; it is also a race). */
  long *totals = malloc(64 * sizeof *totals);
  for (int i = 0; i < 64; i++)
    totals[i] = i; /* before the create: ordered */
  pthread_t reader;
  pthread_create(&reader, NULL, read_late, totals);
  free(totals); // SITE
  atomic_store_explicit(&block_released, 1, memory_order_relaxed);
  pthread_join(reader, NULL);
  printf("done\n");
  return 0;
}
