// EXPECT: race
// DESCRIPTION: lost update: two threads each increment a plain global counter 1,000,000 times without a lock
// VARIABLE: counter
#include <pthread.h>
#include <stdio.h>

enum { kIncrementsPerThread = 1000000 };

long counter; /* shared, unprotected: the bug */

static void *increment_many(void *unused) {
  (void)unused;
  for (int i = 0; i < kIncrementsPerThread; i++)
    counter++; // SITE
  return NULL;
}

int main(void) {
  pthread_t workers[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&workers[i], NULL, increment_many, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(workers[i], NULL);
  /* Read after both joins: ordered, not part of the race. */
  printf("counter = %ld (2 x %d increments)\n", counter, kIncrementsPerThread);
  return 0;
}
