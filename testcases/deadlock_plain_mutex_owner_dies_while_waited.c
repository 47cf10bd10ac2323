// EXPECT: deadlock
// DESCRIPTION: the twin of none_robust_owner_dies_while_waited with a plain (not robust) mutex: the
// worker ends holding it while main waits for it, and glibc never wakes main: a real deadlock
// (natively the program hangs too, whenever the worker ends first; it is the bug). The thread's
// end holding the lock is reported as the cause (misuse exit-holding). SCHEDULES: 4
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t record_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t record_taken;
static int record_half_written;

static void *writer(void *unused) {
  (void)unused;
  pthread_mutex_lock(&record_lock);
  record_half_written = 1;
  sem_post(&record_taken);
  struct timespec pause = {0, 5 * 1000 * 1000};
  nanosleep(&pause, NULL);
  return NULL; /* dies holding the lock */
}

int main(void) {
  sem_init(&record_taken, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, writer, NULL);
  sem_wait(&record_taken);
  pthread_mutex_lock(&record_lock); // SITE
  record_half_written = 0;
  pthread_mutex_unlock(&record_lock);
  pthread_join(t, NULL);
  printf("done\n");
  return 0;
}
