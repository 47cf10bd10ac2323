// EXPECT: none
// DESCRIPTION: the correct twin of misuse_destroy_cond_with_waiter: the condition variable is broadcast and destroyed only after its waiters returned and were joined
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t state_changed = PTHREAD_COND_INITIALIZER;
static int state; /* guarded by state_lock */

static void *watcher(void *unused) {
  (void)unused;
  pthread_mutex_lock(&state_lock);
  while (state == 0)
    pthread_cond_wait(&state_changed, &state_lock);
  pthread_mutex_unlock(&state_lock);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, watcher, NULL);
  pthread_create(&b, NULL, watcher, NULL);
  pthread_mutex_lock(&state_lock);
  state = 1;
  pthread_cond_broadcast(&state_changed);
  pthread_mutex_unlock(&state_lock);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  int error = pthread_cond_destroy(&state_changed);
  printf("destroyed: %d\n", error);
  return 0;
}
