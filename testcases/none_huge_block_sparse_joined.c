// EXPECT: none
// DESCRIPTION: a 1 GiB heap block is touched once per MiB by one thread and then, after the main thread joined it, by a second one writing in the middle of the block: every access is ordered after the allocation and after the other thread's, and the huge block costs no more shadow than the pages touched
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define SIZE ((size_t)1 << 30)

static unsigned char *block;

static void *sweep(void *unused) {
  (void)unused;
  for (size_t i = 0; i < SIZE; i += 1 << 20)
    block[i] = 1;
  return NULL;
}

static void *poke(void *unused) {
  (void)unused;
  block[SIZE / 2] = 2;
  return NULL;
}

int main(void) {
  block = malloc(SIZE);
  if (!block)
    return 0; /* no room for the test: nothing to check */
  pthread_t a, b;
  pthread_create(&a, NULL, sweep, NULL);
  pthread_join(a, NULL);
  pthread_create(&b, NULL, poke, NULL);
  pthread_join(b, NULL);
  printf("%d\n", block[SIZE / 2]);
  free(block);
  return 0;
}
