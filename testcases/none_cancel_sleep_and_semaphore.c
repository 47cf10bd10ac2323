// EXPECT: none
// SCHEDULES: 20
// DESCRIPTION: deferred cancellation at the modelled cancellation points: a thread in a one-hour nanosleep and a thread that sleeps with cancellation disabled, re-enables it and then blocks in sem_wait on a semaphore nobody posts are both canceled; the disabled sleep runs to its end, and both joins return PTHREAD_CANCELED (checked)
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static sem_t never_posted, started;
static int slept_through;

static void *long_sleep(void *unused) {
  (void)unused;
  struct timespec hour = {3600, 0};
  sem_post(&started);
  for (;;) /* canceled here (an hour may pass under racecheck) */
    nanosleep(&hour, NULL);
}

static void *shielded_then_waiting(void *unused) {
  (void)unused;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
  sem_post(&started);
  usleep(1000); /* not canceled: cancellation is disabled */
  slept_through = 1;
  pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
  sem_wait(&never_posted); /* canceled here at the latest */
  abort();
}

int main(void) {
  sem_init(&never_posted, 0, 0);
  sem_init(&started, 0, 0);
  pthread_t sleeper, shielded;
  pthread_create(&sleeper, NULL, long_sleep, NULL);
  pthread_create(&shielded, NULL, shielded_then_waiting, NULL);
  sem_wait(&started);
  sem_wait(&started);
  pthread_cancel(sleeper);
  pthread_cancel(shielded);
  void *r1 = NULL, *r2 = NULL;
  pthread_join(sleeper, &r1);
  pthread_join(shielded, &r2);
  if (r1 != PTHREAD_CANCELED || r2 != PTHREAD_CANCELED || !slept_through)
    abort();
  printf("both canceled\n");
  return 0;
}
