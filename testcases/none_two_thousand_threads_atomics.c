// EXPECT: none
// DESCRIPTION: 2,000 threads created and joined in batches of ten with atomics between them; the
// first thread of each batch waits for the other nine and ends with an atomic add on its own stack,
// then main joins the batch, so glibc unmaps that stack (its stack cache holds about five) before
// main's next atomic operation, and the runtime must not read the unmapped stack then
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

enum { ROUNDS = 200, BATCH = 10 };

static atomic_int done_in_batch;
static atomic_long finished;

static void *worker(void *arg) {
  atomic_int local = 0;  // an atomic on this thread's own stack
  if (arg) {
    while (atomic_load(&done_in_batch) < BATCH - 1) sched_yield();
  } else {
    atomic_fetch_add(&done_in_batch, 1);
  }
  atomic_fetch_add(&finished, 1);
  atomic_fetch_add(&local, 1);  // the thread's last atomic operation
  return NULL;
}

int main(void) {
  for (int round = 0; round < ROUNDS; round++) {
    pthread_t batch[BATCH];
    atomic_store(&done_in_batch, 0);
    for (long i = 0; i < BATCH; i++)
      pthread_create(&batch[i], NULL, worker, i == 0 ? &done_in_batch : NULL);
    for (int i = 0; i < BATCH; i++) pthread_join(batch[i], NULL);
  }
  long done = atomic_load(&finished);
  printf("%ld threads\n", done);
  return done == ROUNDS * BATCH ? 0 : 1;
}
