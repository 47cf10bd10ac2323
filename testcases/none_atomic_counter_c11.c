// EXPECT: none
// DESCRIPTION: C11 atomic_fetch_add (seq_cst and relaxed) from four threads; the plain read happens after the joins
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_long packets_seen;
static atomic_long bytes_seen;

static void *count_packets(void *unused) {
  (void)unused;
  for (int i = 0; i < 5000; i++) {
    atomic_fetch_add(&packets_seen, 1);
    atomic_fetch_add_explicit(&bytes_seen, 64, memory_order_relaxed);
  }
  return NULL;
}

int main(void) {
  pthread_t workers[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&workers[i], NULL, count_packets, NULL);
  for (int i = 0; i < 4; i++)
    pthread_join(workers[i], NULL);
  long packets = atomic_load(&packets_seen);
  long bytes = atomic_load_explicit(&bytes_seen, memory_order_relaxed);
  printf("%ld packets, %ld bytes\n", packets, bytes);
  return packets == 20000 && bytes == 20000 * 64 ? 0 : 1;
}
