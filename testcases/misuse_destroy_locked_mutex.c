// EXPECT: misuse
// DESCRIPTION: main destroys a mutex while the worker still holds it (glibc returns EBUSY)
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t locked, released;

static void *worker(void *unused) {
  (void)unused;
  pthread_mutex_lock(&job_lock);
  sem_post(&locked);
  sem_wait(&released);
  pthread_mutex_unlock(&job_lock);
  return NULL;
}

int main(void) {
  sem_init(&locked, 0, 0);
  sem_init(&released, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  sem_wait(&locked);
  int error = pthread_mutex_destroy(&job_lock); // SITE
  sem_post(&released);
  pthread_join(t, NULL);
  printf("destroy: %d\n", error);
  return 0;
}
