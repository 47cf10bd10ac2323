// lock_pingpong_100.c — the program of bench/explore_rate.py: two threads that
// each take and release one mutex 25 times around a shared counter, so a run
// has about 100 synchronisation events (plus thread create/join) and no
// finding. Small on purpose: exploring schedules of it measures the cost per
// schedule (process start, scheduled run, record, analysis), not the program.
#include <pthread.h>
#include <stdio.h>

enum { kRoundsPerThread = 25 };

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *bump_counter(void *unused) {
  (void)unused;
  for (int i = 0; i < kRoundsPerThread; i++) {
    pthread_mutex_lock(&counter_lock);
    counter++;
    pthread_mutex_unlock(&counter_lock);
  }
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, bump_counter, NULL);
  pthread_create(&b, NULL, bump_counter, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("%ld\n", counter);
  return counter == 2 * kRoundsPerThread ? 0 : 1;
}
