// EXPECT: none
// DESCRIPTION: a worker spin-waits on an atomic flag (acquire loads, no yield, no sleep) that the main thread sets after preparing the data it publishes; the fair layer treats each unchanged re-read as a yield, so the spinner gives way to the main thread and the run ends in about 10 scheduling points under every strategy (PCT without it: about 200, until its anti-starvation demotion); a spin wait that ends because another thread set the flag is progress, not a livelock, and release/acquire publishes the data, so there is no race
// SEEDS: 4
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_int data_ready;
static int published_value;

static void *waiter(void *unused) {
  (void)unused;
  while (!atomic_load_explicit(&data_ready, memory_order_acquire))
    ;
  printf("published value: %d\n", published_value);
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, waiter, NULL);
  int sum = 0;
  for (int i = 1; i <= 100; i++)
    sum += i;
  published_value = sum;
  atomic_store_explicit(&data_ready, 1, memory_order_release);
  pthread_join(thread, NULL);
  return 0;
}
