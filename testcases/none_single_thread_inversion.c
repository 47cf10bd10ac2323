// EXPECT: none
// DESCRIPTION: one thread takes a then b, later b then a; another thread only ever holds one lock at a time: an inversion within one thread cannot deadlock (reported only with --single-thread-inversions)
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
long value_a, value_b;

static void *inverting(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock_a);
  pthread_mutex_lock(&lock_b);
  value_a++;
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_lock(&lock_b);
  pthread_mutex_lock(&lock_a);
  value_b++;
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&lock_b);
  return NULL;
}

static void *one_at_a_time(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock_b);
  value_b++;
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_lock(&lock_a);
  value_a++;
  pthread_mutex_unlock(&lock_a);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, inverting, NULL);
  pthread_create(&t2, NULL, one_at_a_time, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("%ld %ld\n", value_a, value_b);
  return 0;
}
