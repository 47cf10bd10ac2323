// EXPECT: none
// DESCRIPTION: two threads take locks a and b in opposite orders, but always while holding one gate lock, which serialises them: no deadlock is possible
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
long total_a, total_b;

static void *a_then_b(void *unused) {
  (void)unused;
  pthread_mutex_lock(&gate);
  pthread_mutex_lock(&lock_a);
  pthread_mutex_lock(&lock_b);
  total_a++;
  total_b++;
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&gate);
  return NULL;
}

static void *b_then_a(void *unused) {
  (void)unused;
  pthread_mutex_lock(&gate);
  pthread_mutex_lock(&lock_b);
  pthread_mutex_lock(&lock_a);
  total_a--;
  total_b--;
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&gate);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, a_then_b, NULL);
  pthread_create(&t2, NULL, b_then_a, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("%ld %ld\n", total_a, total_b);
  return 0;
}
