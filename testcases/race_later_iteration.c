// EXPECT: race
// DESCRIPTION: the loop locks on every iteration but the fifth, which updates the shared total without the lock
// SCHEDULES: 8
// VARIABLE: shared_total
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
long shared_total; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void *accumulate(void *unused) {
  (void)unused;
  for (int i = 0; i < 10; i++) {
    if (i == 5) {
      shared_total += i; // SITE
    } else {
      pthread_mutex_lock(&total_lock);
      shared_total += i;
      pthread_mutex_unlock(&total_lock);
    }
  }
  return NULL;
}

int main(void) {
  pthread_t workers[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&workers[i], NULL, accumulate, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(workers[i], NULL);
  printf("total %ld\n", shared_total);
  return 0;
}
