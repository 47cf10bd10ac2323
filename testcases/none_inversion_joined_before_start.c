// EXPECT: none
// DESCRIPTION: the first thread takes a then b and is joined before the second thread, which takes b then a, is created: the two never overlap, so no deadlock
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
long moves;

static void *a_then_b(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock_a);
  pthread_mutex_lock(&lock_b);
  moves++;
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
  return NULL;
}

static void *b_then_a(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock_b);
  pthread_mutex_lock(&lock_a);
  moves++;
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&lock_b);
  return NULL;
}

int main(void) {
  pthread_t first, second;
  pthread_create(&first, NULL, a_then_b, NULL);
  pthread_join(first, NULL);
  pthread_create(&second, NULL, b_then_a, NULL);
  pthread_join(second, NULL);
  printf("%ld\n", moves);
  return 0;
}
