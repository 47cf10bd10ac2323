// EXPECT: none
// DESCRIPTION: the correct twin of misuse_cond_two_mutexes: two waiters wait on one condition variable at the same time with the same mutex
// SCHEDULES: 8
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int open_gate; /* guarded by gate_lock */

static void *waiter(void *unused) {
  (void)unused;
  pthread_mutex_lock(&gate_lock);
  while (!open_gate)
    pthread_cond_wait(&go, &gate_lock);
  pthread_mutex_unlock(&gate_lock);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, waiter, NULL);
  pthread_create(&b, NULL, waiter, NULL);
  pthread_mutex_lock(&gate_lock);
  open_gate = 1;
  pthread_cond_broadcast(&go);
  pthread_mutex_unlock(&gate_lock);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("both went\n");
  return 0;
}
