// EXPECT: lock-order-cycle
// SCHEDULES: 4
// DESCRIPTION: two threads meet at a barrier and only then take locks a and b in opposite orders: the barrier orders what came before it, not the two nested sections after it, which can overlap and deadlock
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t start;
long total_a, total_b;

static void *a_then_b(void *unused) {
  (void)unused;
  pthread_barrier_wait(&start);
  pthread_mutex_lock(&lock_a); // SITE
  pthread_mutex_lock(&lock_b); // SITE
  total_a++;
  total_b++;
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
  return NULL;
}

static void *b_then_a(void *unused) {
  (void)unused;
  pthread_barrier_wait(&start);
  pthread_mutex_lock(&lock_b); // SITE
  pthread_mutex_lock(&lock_a); // SITE
  total_a--;
  total_b--;
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&lock_b);
  return NULL;
}

int main(void) {
  pthread_t one, two;
  pthread_barrier_init(&start, NULL, 2);
  pthread_create(&one, NULL, a_then_b, NULL);
  pthread_create(&two, NULL, b_then_a, NULL);
  pthread_join(one, NULL);
  pthread_join(two, NULL);
  printf("%ld %ld\n", total_a, total_b);
  pthread_barrier_destroy(&start);
  return 0;
}
