// EXPECT: misuse
// DESCRIPTION: main unlocks an errorcheck mutex the worker holds (glibc returns EPERM; still a misuse, as Helgrind reports)
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_mutex_t job_lock;
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
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&job_lock, &attr);
  sem_init(&locked, 0, 0);
  sem_init(&released, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  sem_wait(&locked);
  int error = pthread_mutex_unlock(&job_lock); // SITE
  sem_post(&released);
  pthread_join(t, NULL);
  printf("unlock by main: %d\n", error);
  return 0;
}
