// EXPECT: none
// DESCRIPTION: the correct twin of misuse_destroy_locked_mutex: main destroys the mutex only after joining its user, and a never-locked mutex too
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t locked;
static int jobs;

static void *worker(void *unused) {
  (void)unused;
  pthread_mutex_lock(&job_lock);
  jobs++;
  sem_post(&locked);
  pthread_mutex_unlock(&job_lock);
  return NULL;
}

int main(void) {
  sem_init(&locked, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  sem_wait(&locked);
  pthread_join(t, NULL);
  int error = pthread_mutex_destroy(&job_lock);
  error |= pthread_mutex_destroy(&spare_lock);
  printf("jobs %d, destroy: %d\n", jobs, error);
  return 0;
}
