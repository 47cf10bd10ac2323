// EXPECT: none
// DESCRIPTION: four threads take up to three locks, always in the global order first < second < third (some skip one): no lock-order cycle
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t third = PTHREAD_MUTEX_INITIALIZER;
long shared_sum;

static void *ordered_worker(void *arg) {
  long id = (long)arg;
  for (int round = 0; round < 3; round++) {
    if (id != 1)
      pthread_mutex_lock(&first);
    if (id != 2)
      pthread_mutex_lock(&second);
    pthread_mutex_lock(&third);
    shared_sum += id;
    pthread_mutex_unlock(&third);
    if (id != 2)
      pthread_mutex_unlock(&second);
    if (id != 1)
      pthread_mutex_unlock(&first);
  }
  return NULL;
}

int main(void) {
  pthread_t threads[4];
  for (long i = 0; i < 4; i++)
    pthread_create(&threads[i], NULL, ordered_worker, (void *)i);
  for (int i = 0; i < 4; i++)
    pthread_join(threads[i], NULL);
  printf("%ld\n", shared_sum);
  return 0;
}
