// EXPECT: none
// DESCRIPTION: threads take the lock with a pthread_mutex_trylock retry loop (yielding while busy) and update shared state only once it succeeded
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static long shared_state;
static long busy_retries[2];

static void *update_with_trylock(void *arg) {
  int self = (int)(long)arg;
  for (int i = 0; i < 1000; i++) {
    while (pthread_mutex_trylock(&state_lock) == EBUSY) {
      busy_retries[self]++; /* thread-private slot */
      sched_yield();
    }
    shared_state += 1;
    pthread_mutex_unlock(&state_lock);
  }
  return NULL;
}

int main(void) {
  pthread_t workers[2];
  for (long i = 0; i < 2; i++)
    pthread_create(&workers[i], NULL, update_with_trylock, (void *)i);
  for (int i = 0; i < 2; i++)
    pthread_join(workers[i], NULL);
  printf("state %ld\n", shared_state);
  return shared_state == 2000 ? 0 : 1;
}
