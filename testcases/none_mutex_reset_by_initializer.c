// EXPECT: none
// DESCRIPTION: each worker handles jobs in one stack slot that it resets with a compound literal
// holding PTHREAD_MUTEX_INITIALIZER (no pthread_mutex_init); a job that gives up early leaves the
// slot's mutex locked, and the next job's assignment makes it a new, free mutex, as glibc sees it.
// The job counter is shared under a global mutex. No race, no deadlock: racecheck must treat the
// assignment over a lock it thinks is held as a new lock. SCHEDULES: 8
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

struct slot {
  pthread_mutex_t lock;
  int steps;
};

static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static int jobs_done;

static void *worker(void *arg) {
  int first = *(int *)arg;
  struct slot slot;
  for (int job = first; job < first + 4; job++) {
    slot = (struct slot){PTHREAD_MUTEX_INITIALIZER, 0};
    assert(pthread_mutex_lock(&slot.lock) == 0);
    slot.steps = job;
    if (job % 2) continue; /* given up: the slot is reset before it is used again */
    pthread_mutex_unlock(&slot.lock);
    pthread_mutex_lock(&done_lock);
    jobs_done++;
    pthread_mutex_unlock(&done_lock);
  }
  pthread_mutex_unlock(&slot.lock); /* the last job gave up holding it */
  return 0;
}

int main(void) {
  pthread_t threads[2];
  int first[2] = {0, 10};
  for (int i = 0; i < 2; i++) pthread_create(&threads[i], 0, worker, &first[i]);
  for (int i = 0; i < 2; i++) pthread_join(threads[i], 0);
  printf("%d jobs done\n", jobs_done);
  return jobs_done == 4 ? 0 : 1;
}
