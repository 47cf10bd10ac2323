// EXPECT: none
// DESCRIPTION: 1,000 short threads are created and joined 50 at a time, each adding to a total under a mutex, and the main thread reads the total after the joins: thread ids are never reused, so a thousand finished threads must neither slow the run down nor leave a stale clock behind that would make an ordered access look racy
#include <pthread.h>
#include <stdio.h>

#define THREADS 1000
#define BATCH 50

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long total;

static void *add(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock);
  total++;
  pthread_mutex_unlock(&lock);
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
  printf("%ld\n", total);
  return total == THREADS ? 0 : 1;
}
