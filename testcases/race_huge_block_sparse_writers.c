// EXPECT: race
// DESCRIPTION: a 1 GiB heap block is touched once per MiB by one thread while a second thread, started at the same time and not ordered with it, writes the same byte in the middle of the block: a race deep inside a block whose allocation's write and free's check cover only its ends
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define SIZE ((size_t)1 << 30)

static unsigned char *block;

static void *sweep(void *unused) {
  (void)unused;
  for (size_t i = 0; i < SIZE; i += 1 << 20)
    block[i] = 1; // SITE
  return NULL;
}

static void *poke(void *unused) {
  (void)unused;
  block[SIZE / 2] = 2; // SITE
  return NULL;
}

int main(void) {
  block = malloc(SIZE);
  if (!block)
    return 0; /* no room for the test: nothing to check */
  pthread_t a, b;
  pthread_create(&a, NULL, sweep, NULL);
  pthread_create(&b, NULL, poke, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("%d\n", block[SIZE / 2]);
  free(block);
  return 0;
}
