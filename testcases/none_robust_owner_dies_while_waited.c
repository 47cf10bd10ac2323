// EXPECT: none
// DESCRIPTION: a worker takes a robust mutex, fills in a shared record and ends without unlocking
// it (its error path) while main is already blocked on the mutex. As glibc does through the
// kernel's robust list, main wakes with EOWNERDEAD, reads and repairs the record the dead owner
// left (ordered after the owner's writes), marks the mutex consistent and goes on. No deadlock, no
// race, no misuse: robust mutexes exist for owners that end holding them. SCHEDULES: 8
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t record_lock;
static sem_t record_taken;
static int record_half_written;

static void *writer(void *unused) {
  (void)unused;
  pthread_mutex_lock(&record_lock);
  record_half_written = 1;
  sem_post(&record_taken);
  struct timespec pause = {0, 5 * 1000 * 1000}; /* main blocks meanwhile */
  nanosleep(&pause, NULL);
  return NULL; /* dies holding the lock */
}

int main(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(&record_lock, &attr);
  pthread_mutexattr_destroy(&attr);
  sem_init(&record_taken, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, writer, NULL);
  sem_wait(&record_taken);
  int rc = pthread_mutex_lock(&record_lock);
  assert(rc == EOWNERDEAD);
  if (record_half_written) record_half_written = 0; /* repaired */
  pthread_mutex_consistent(&record_lock);
  pthread_mutex_unlock(&record_lock);
  pthread_join(t, NULL);
  assert(pthread_mutex_lock(&record_lock) == 0);
  pthread_mutex_unlock(&record_lock);
  printf("recovered\n");
  return 0;
}
