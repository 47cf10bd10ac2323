// EXPECT: none
// DESCRIPTION: the correct twin of crash_counter_two_locks.c: all three threads increment the counter under the same lock, so no increment is lost
// SCHEDULES: 40
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
long shared_count;

static void *increment(void *arg) {
  pthread_mutex_t *lock = arg;
  pthread_mutex_lock(lock);
  shared_count = shared_count + 1;
  pthread_mutex_unlock(lock);
  return NULL;
}

int main(void) {
  pthread_t threads[3];
  for (int i = 0; i < 3; i++)
    pthread_create(&threads[i], NULL, increment, &count_lock);
  for (int i = 0; i < 3; i++)
    pthread_join(threads[i], NULL);
  assert(shared_count == 3);
  printf("count %ld\n", shared_count);
  return 0;
}
