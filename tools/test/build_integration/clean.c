/* clean.c — racy.c's correct twin (the increment under a mutex): its racecheck_add_test must
 * pass. */
#include <pthread.h>
#include <stdio.h>

static int hits;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *count(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  hits++;
  pthread_mutex_unlock(&lock);
  return 0;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, count, 0);
  pthread_create(&b, 0, count, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  printf("%d\n", hits);
  return 0;
}
