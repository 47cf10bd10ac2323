// EXPECT: deadlock
// DESCRIPTION: lost wake-up behind a head start: the main thread sleeps 10 ms before it signals, counting on the worker to be waiting by then, and the worker waits on the condition variable without a predicate. Natively the worker almost always waits first, but a worker delayed past the signal waits forever (the bug itself can keep this program from ending): the sleep does not order the threads
// SCHEDULES: 20
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
int jobs_done;

static void *worker(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock);
  pthread_cond_wait(&go, &lock); // SITE
  jobs_done++;
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  usleep(10000); /* "the worker is waiting by now" */
  pthread_mutex_lock(&lock);
  pthread_cond_signal(&go); /* no flag: lost if the worker is not waiting yet */
  pthread_mutex_unlock(&lock);
  pthread_join(thread, NULL); // SITE
  printf("jobs done: %d\n", jobs_done);
  return 0;
}
