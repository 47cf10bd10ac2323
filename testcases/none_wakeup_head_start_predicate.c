// EXPECT: none
// DESCRIPTION: the same head start (the main thread sleeps 10 ms before it signals), but the signal sets a flag under the lock and the worker waits in a loop on it, so a worker that comes late sees the flag and does not wait: correct in every order of the sleep's end and the worker's steps, spurious wake-ups included
// SCHEDULES: 20
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static bool started;
int jobs_done;

static void *worker(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock);
  while (!started)
    pthread_cond_wait(&go, &lock);
  jobs_done++;
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  usleep(10000);
  pthread_mutex_lock(&lock);
  started = true;
  pthread_cond_signal(&go);
  pthread_mutex_unlock(&lock);
  pthread_join(thread, NULL);
  printf("jobs done: %d\n", jobs_done);
  return 0;
}
