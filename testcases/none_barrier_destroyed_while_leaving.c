// EXPECT: none
// DESCRIPTION: four threads meet at a barrier once; the serial thread (the one pthread_barrier_wait
// returns PTHREAD_BARRIER_SERIAL_THREAD to) destroys the barrier at once, while the others may not
// have left pthread_barrier_wait yet. Legal: no thread is blocked on it any more, and glibc's destroy
// waits until every thread has left. Each thread then reads what all wrote before the barrier.
// SCHEDULES: 8
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

#define THREADS 4
static pthread_barrier_t start_line;
static int ready[THREADS];
static int sums[THREADS];

static void *runner(void *arg) {
  int me = (int)(long)arg;
  ready[me] = me + 1;
  if (pthread_barrier_wait(&start_line) == PTHREAD_BARRIER_SERIAL_THREAD)
    assert(pthread_barrier_destroy(&start_line) == 0);
  int sum = 0;
  for (int i = 0; i < THREADS; i++) sum += ready[i];
  sums[me] = sum;
  return NULL;
}

int main(void) {
  pthread_barrier_init(&start_line, NULL, THREADS);
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, runner, (void *)i);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < THREADS; i++) assert(sums[i] == 10);
  printf("all saw 10\n");
  return 0;
}
