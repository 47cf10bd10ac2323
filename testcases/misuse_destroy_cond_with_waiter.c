// EXPECT: misuse
// DESCRIPTION: main destroys a condition variable while a worker still waits on it (a timed wait, so glibc's destroy, which waits for the waiters to leave, returns natively)
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t state_changed = PTHREAD_COND_INITIALIZER;
static sem_t waiting;

static void *watcher(void *unused) {
  (void)unused;
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  long nsec = deadline.tv_nsec + 50 * 1000 * 1000; /* no branch on the time */
  deadline.tv_sec += nsec / 1000000000;
  deadline.tv_nsec = nsec % 1000000000;
  pthread_mutex_lock(&state_lock);
  sem_post(&waiting);
  pthread_cond_timedwait(&state_changed, &state_lock, &deadline);
  pthread_mutex_unlock(&state_lock);
  return NULL;
}

int main(void) {
  sem_init(&waiting, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, watcher, NULL);
  sem_wait(&waiting);
  pthread_mutex_lock(&state_lock); /* free again once the watcher waits */
  pthread_mutex_unlock(&state_lock);
  pthread_cond_destroy(&state_changed); // SITE
  pthread_join(t, NULL);
  printf("destroyed\n");
  return 0;
}
