// EXPECT: none
// DESCRIPTION: one thread frees a block and another, unsynchronised, mallocs and writes memory at the same address; reuse of freed memory is not a race
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bigger than any tcache bin, so with a single arena the freed block goes back
 * to the shared heap and the other thread's malloc gets the same address. */
enum { kBlockSize = 4000 };

struct block {
  int owner;
  char bytes[kBlockSize - sizeof(int)];
};

/* Relaxed on purpose: it makes the second malloc come after the free in real
 * time without creating any happens-before edge between the threads. */
static atomic_int first_block_freed;
static atomic_uintptr_t first_block_address;

static void *use_and_free(void *unused) {
  (void)unused;
  struct block *block = malloc(sizeof *block);
  block->owner = 1;
  memset(block->bytes, 'a', sizeof block->bytes);
  atomic_store_explicit(&first_block_address, (uintptr_t)block, memory_order_relaxed);
  free(block);
  atomic_store_explicit(&first_block_freed, 1, memory_order_relaxed);
  return NULL;
}

static void *allocate_after_free(void *result) {
  while (!atomic_load_explicit(&first_block_freed, memory_order_relaxed))
    ;
  struct block *block = malloc(sizeof *block);
  block->owner = 2;
  memset(block->bytes, 'b', sizeof block->bytes);
  *(int *)result = (uintptr_t)block == atomic_load_explicit(&first_block_address, memory_order_relaxed);
  int sum = block->owner + block->bytes[10];
  free(block);
  return sum == 2 + 'b' ? NULL : (void *)1;
}

int main(void) {
  mallopt(M_ARENA_MAX, 1); /* all threads share the main arena */
  int reused = 0;
  pthread_t first, second;
  pthread_create(&second, NULL, allocate_after_free, &reused);
  pthread_create(&first, NULL, use_and_free, NULL);
  pthread_join(first, NULL);
  pthread_join(second, NULL);
  /* Whether the address was reused depends on the allocator, so it is not
   * printed: the report and the output stay deterministic. */
  return 0;
}
