// EXPECT: none
// SCHEDULES: 4
// DESCRIPTION: the first thread takes a then b through one helper, 51 times, each under the gate lock, taken at one of two places; the second takes b then a under the gate too. Every nesting of a and b happens with the gate held, which serialises them, so no deadlock is possible however the helper is reached
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
long total;

static void a_then_b(void) {
  pthread_mutex_lock(&lock_a);
  pthread_mutex_lock(&lock_b);
  total++;
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
}

static void *first(void *unused) {
  (void)unused;
  for (int i = 0; i < 50; i++) {
    pthread_mutex_lock(&gate);
    a_then_b();
    pthread_mutex_unlock(&gate);
  }
  pthread_mutex_lock(&gate); /* the last pass takes the gate elsewhere */
  a_then_b();
  pthread_mutex_unlock(&gate);
  return NULL;
}

static void *second(void *unused) {
  (void)unused;
  pthread_mutex_lock(&gate);
  pthread_mutex_lock(&lock_b);
  pthread_mutex_lock(&lock_a);
  total--;
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&gate);
  return NULL;
}

int main(void) {
  pthread_t one, two;
  pthread_create(&one, NULL, first, NULL);
  pthread_create(&two, NULL, second, NULL);
  pthread_join(one, NULL);
  pthread_join(two, NULL);
  printf("%ld\n", total);
  return 0;
}
