// EXPECT: none
// DESCRIPTION: worker threads end with a raw syscall(SYS_exit) instead of returning; the kernel clears their thread id, so pthread_join returns, and the runtime must treat them as finished (not as a thread holding the run forever, not as one spinning in uninstrumented code); each worker writes only its own slot, read after the joins
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int slots[2];

static void *worker(void *arg) {
  int *slot = arg;
  *slot = 1;
  syscall(SYS_exit, 0);
  return NULL; /* not reached */
}

int main(void) {
  pthread_t threads[2];
  for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, worker, &slots[i]);
  for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
  printf("slots: %d %d\n", slots[0], slots[1]);
  return slots[0] + slots[1] == 2 ? 0 : 1;
}
