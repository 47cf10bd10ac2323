/* big_malloc.c — a large allocation touched sparsely: malloc of argv[1] GiB
 * (default 4), one byte written per MiB by each of two threads in turn (the
 * second thread after joining the first), then summed. Native memory is a
 * few MiB; the shadow should cost only what is touched. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned char *block;
static size_t size;

static void *touch(void *arg) {
  for (size_t i = (size_t)arg; i < size; i += 1 << 20)
    block[i]++;
  return NULL;
}

int main(int argc, char **argv) {
  size = (size_t)(argc > 1 ? atol(argv[1]) : 4) << 30;
  block = malloc(size);
  if (!block)
    return 2;
  for (long pass = 0; pass < 2; pass++) {
    pthread_t t;
    pthread_create(&t, NULL, touch, (void *)pass);
    pthread_join(t, NULL);
  }
  unsigned long sum = 0;
  for (size_t i = 0; i < size; i += 1 << 20)
    sum += block[i];
  free(block);
  printf("%lu\n", sum);
  return 0;
}
