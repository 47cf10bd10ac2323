// EXPECT: misuse
// DESCRIPTION: a worker's early return leaves its mutex locked when the thread ends (main only tries the lock afterwards)
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static int samples;

static void *record_sample(void *arg) {
  pthread_mutex_lock(&stats_lock); // SITE
  if (arg == NULL)
    return NULL; /* forgot to unlock */
  samples++;
  pthread_mutex_unlock(&stats_lock);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, record_sample, NULL);
  pthread_join(t, NULL);
  int busy = pthread_mutex_trylock(&stats_lock);
  printf("samples %d, trylock %d\n", samples, busy != 0);
  return 0;
}
