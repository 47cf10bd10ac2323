// EXPECT: misuse
// DESCRIPTION: main re-initialises a mutex the worker holds; the worker's unlock then releases a lock nobody holds
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t locked, reset;

static void *worker(void *unused) {
  (void)unused;
  pthread_mutex_lock(&cache_lock);
  sem_post(&locked);
  sem_wait(&reset);
  pthread_mutex_unlock(&cache_lock); // SITE
  return NULL;
}

int main(void) {
  sem_init(&locked, 0, 0);
  sem_init(&reset, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  sem_wait(&locked);
  pthread_mutex_init(&cache_lock, NULL); // SITE
  sem_post(&reset);
  pthread_join(t, NULL);
  printf("reset done\n");
  return 0;
}
