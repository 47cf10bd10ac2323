// EXPECT: none
// DESCRIPTION: after joining its only worker, main computes alone for a long time: 50 M rounds of a register loop, then 10 M rounds that re-read the same unchanged global `scale` and accumulate on the stack, each with one final write. Nobody else can act and the memory it reads never changes, yet the loop counter and the sum do: that is work, not a spin, however long it lasts, so no hang may be reported
#include <pthread.h>
#include <stdio.h>

int scale = 3; /* read, never written after start */
long result, weighted;
int worker_done;

static void *worker(void *unused) {
  (void)unused;
  worker_done = 1;
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  pthread_join(thread, NULL);
  unsigned long x = 1;
  for (long i = 0; i < 50000000; i++)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  result = (long)(x >> 33);
  long sum = 0;
  for (long i = 0; i < 10000000; i++)
    sum += scale ^ (i & 7);
  weighted = sum;
  printf("%d %ld %ld\n", worker_done, result, weighted);
  return 0;
}
