// EXPECT: none
// SCHEDULES: 10
// DESCRIPTION: a worker with asynchronous cancellation spins on its own counter, yielding, with no cancellation point (sched_yield is none); main cancels it once it spins and the join returns PTHREAD_CANCELED (checked); the cleanup handler runs
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

static int cleaned;
static sem_t spinning;

static void note_cleanup(void *unused) {
  (void)unused;
  cleaned = 1;
}

static void *spin(void *counter) {
  pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
  pthread_cleanup_push(note_cleanup, NULL);
  sem_post(&spinning);
  for (;;) { /* only the cancellation ends it: no cancellation point here */
    ++*(volatile long *)counter;
    sched_yield();
  }
  pthread_cleanup_pop(0);
  return NULL;
}

int main(void) {
  static long counter;
  sem_init(&spinning, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, spin, &counter);
  sem_wait(&spinning); /* cancellable, with its cleanup handler pushed */
  pthread_cancel(t);
  void *result = NULL;
  pthread_join(t, &result);
  if (result != PTHREAD_CANCELED || !cleaned)
    abort();
  printf("canceled\n");
  return 0;
}
