// EXPECT: none
// DESCRIPTION: a thread pool's own test, as thread-pool libraries write it: 16 workers each sleep 10 ms per task while the producer adds tasks until the 64-slot queue is full, then waits for the work to be done. Natively the producer fills the queue within a millisecond, long before the first sleep ends, and the program ends. If any scheduling point could end a sleep, the workers would take tasks as fast as they come and the queue would never fill: the run would never end. Time must pass with the work done, race-free either way
// SCHEDULES: 20
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

enum { kWorkers = 16, kSlots = 64 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_ready = PTHREAD_COND_INITIALIZER;
static pthread_cond_t work_done = PTHREAD_COND_INITIALIZER;
static int queued, added, finished, closing;

static void *worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  for (;;) {
    while (queued == 0 && !closing)
      pthread_cond_wait(&work_ready, &lock);
    if (queued == 0)
      break;
    queued--;
    pthread_mutex_unlock(&lock);
    usleep(10000); /* the task */
    pthread_mutex_lock(&lock);
    finished++;
    pthread_cond_signal(&work_done);
  }
  pthread_mutex_unlock(&lock);
  return NULL;
}

/* Adds a task unless the queue is full. */
static int add_task(void) {
  pthread_mutex_lock(&lock);
  int added_one = queued < kSlots;
  if (added_one) {
    queued++;
    added++;
    pthread_cond_signal(&work_ready);
  }
  pthread_mutex_unlock(&lock);
  return added_one;
}

int main(void) {
  pthread_t workers[kWorkers];
  for (int i = 0; i < kWorkers; i++)
    pthread_create(&workers[i], NULL, worker, NULL);
  while (add_task()) {
  }
  pthread_mutex_lock(&lock);
  while (finished < added)
    pthread_cond_wait(&work_done, &lock);
  closing = 1;
  pthread_cond_broadcast(&work_ready);
  int total = added;
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < kWorkers; i++)
    pthread_join(workers[i], NULL);
  printf("%d tasks\n", total);
  return 0;
}
