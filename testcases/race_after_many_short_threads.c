// EXPECT: race
// DESCRIPTION: 1,000 short threads are created and joined 50 at a time, each adding to a total under a mutex; then the last two threads both bump an unprotected counter: the race must still be found after a thousand finished threads (whose clocks and scheduler entries are dropped once joined)
#include <pthread.h>
#include <stdio.h>

#define THREADS 1000
#define BATCH 50

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long total, unprotected;

static void *add(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock);
  total++;
  pthread_mutex_unlock(&lock);
  return NULL;
}

static void *bump(void *unused) {
  (void)unused;
  unprotected++; // SITE
  return NULL;
}

int main(void) {
  pthread_t threads[BATCH];
  for (int done = 0; done < THREADS; done += BATCH) {
    for (int i = 0; i < BATCH; i++)
      pthread_create(&threads[i], NULL, add, NULL);
    for (int i = 0; i < BATCH; i++)
      pthread_join(threads[i], NULL);
  }
  pthread_create(&threads[0], NULL, bump, NULL);
  pthread_create(&threads[1], NULL, bump, NULL);
  pthread_join(threads[0], NULL);
  pthread_join(threads[1], NULL);
  printf("%ld %ld\n", total, unprotected);
  return 0;
}
