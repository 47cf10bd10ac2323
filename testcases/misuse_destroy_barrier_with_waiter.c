// EXPECT: misuse
// DESCRIPTION: main destroys a two-thread barrier while the first worker already waits on it in an
// unfinished round: undefined (Helgrind's "barrier destroy with waiters"). glibc's destroy returns 0
// and strands the waiter for good (the late second worker's wait starts a new round), so natively
// the program hangs in the join; it is the bug. SCHEDULES: 8
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static pthread_barrier_t phase_end;
static sem_t first_arrives;

static void *early(void *unused) {
  (void)unused;
  sem_post(&first_arrives);
  pthread_barrier_wait(&phase_end);
  return NULL;
}

static void *late(void *unused) {
  (void)unused;
  struct timespec pause = {0, 10 * 1000 * 1000};
  nanosleep(&pause, NULL);
  pthread_barrier_wait(&phase_end);
  return NULL;
}

int main(void) {
  pthread_barrier_init(&phase_end, NULL, 2);
  sem_init(&first_arrives, 0, 0);
  pthread_t a, b;
  pthread_create(&a, NULL, early, NULL);
  pthread_create(&b, NULL, late, NULL);
  sem_wait(&first_arrives);
  struct timespec pause = {0, 2 * 1000 * 1000};
  nanosleep(&pause, NULL); /* the early worker is waiting by now */
  pthread_barrier_destroy(&phase_end); // SITE
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("destroyed\n");
  return 0;
}
