// EXPECT: none
// DESCRIPTION: four threads increment a global counter, always under one pthread mutex
#include <pthread.h>
#include <stdio.h>

enum { kThreads = 4, kIncrements = 10000 };

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *increment_locked(void *unused) {
  (void)unused;
  for (int i = 0; i < kIncrements; i++) {
    pthread_mutex_lock(&counter_lock);
    counter++;
    pthread_mutex_unlock(&counter_lock);
  }
  return NULL;
}

int main(void) {
  pthread_t workers[kThreads];
  for (int i = 0; i < kThreads; i++)
    pthread_create(&workers[i], NULL, increment_locked, NULL);
  for (int i = 0; i < kThreads; i++)
    pthread_join(workers[i], NULL);
  printf("counter = %ld\n", counter);
  return counter == (long)kThreads * kIncrements ? 0 : 1;
}
