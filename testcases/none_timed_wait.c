// EXPECT: none
// DESCRIPTION: a consumer polls with pthread_cond_timedwait (short timeouts that expire many times) until a producer, after sleeping, publishes a result under the mutex
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t result_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t result_cond = PTHREAD_COND_INITIALIZER;
static int result_ready;
static long result_value;

static void *produce_slowly(void *unused) {
  (void)unused;
  usleep(20000);
  long value = 0;
  for (int i = 1; i <= 10; i++)
    value += i;
  pthread_mutex_lock(&result_lock);
  result_value = value;
  result_ready = 1;
  pthread_cond_signal(&result_cond);
  pthread_mutex_unlock(&result_lock);
  return NULL;
}

int main(void) {
  pthread_t producer;
  pthread_create(&producer, NULL, produce_slowly, NULL);
  int timeouts = 0;
  pthread_mutex_lock(&result_lock);
  while (!result_ready) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 2000000; /* 2 ms */
    if (deadline.tv_nsec >= 1000000000) {
      deadline.tv_sec++;
      deadline.tv_nsec -= 1000000000;
    }
    if (pthread_cond_timedwait(&result_cond, &result_lock, &deadline) == ETIMEDOUT)
      timeouts++;
  }
  long value = result_value;
  pthread_mutex_unlock(&result_lock);
  pthread_join(producer, NULL);
  (void)timeouts; /* depends on timing: not printed, so the output stays deterministic */
  printf("value %ld\n", value);
  return value == 55 ? 0 : 1;
}
