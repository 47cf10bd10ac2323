// EXPECT: race
// DESCRIPTION: a consumer waits for a result with pthread_cond_timedwait; its time-out path (taken because the producer is slow) drops the lock before counting the time-out in shared statistics, which the producer updates under the lock
// VARIABLE: stats.timeouts
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static int ready;
struct {
  long results;
  long timeouts;
} stats; /* external linkage, like statistics read by other modules */

static void *producer(void *unused) {
  (void)unused;
  usleep(50000); /* slower than the consumer's 5 ms patience */
  pthread_mutex_lock(&lock);
  ready = 1;
  stats.timeouts = 0; /* a new result resets the time-out streak */ // SITE
  pthread_cond_signal(&ready_cond);
  pthread_mutex_unlock(&lock);
  return NULL;
}

static int wait_for_result(void) {
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_nsec += 5000000;
  if (deadline.tv_nsec >= 1000000000) {
    deadline.tv_sec++;
    deadline.tv_nsec -= 1000000000;
  }
  pthread_mutex_lock(&lock);
  while (!ready) {
    if (pthread_cond_timedwait(&ready_cond, &lock, &deadline) == ETIMEDOUT) {
      pthread_mutex_unlock(&lock);
      stats.timeouts++; /* bug: the lock was already released */ // SITE
      return 0;
    }
  }
  stats.results++;
  pthread_mutex_unlock(&lock);
  return 1;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, producer, NULL);
  int got = wait_for_result();
  pthread_join(thread, NULL);
  printf("got a result in time: %s\n", got ? "yes" : "no");
  return 0;
}
