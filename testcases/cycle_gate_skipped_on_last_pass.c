// EXPECT: lock-order-cycle
// DESCRIPTION: the first thread takes a then b through one helper, 50 times under the gate lock and a last time without it; the second takes b then a under the gate. The gate serialises every pass but the last: that pass (the same lines and call stack, the same locks a and b: only the locks already held differ) can meet the second thread's nesting and deadlock
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
long total;

static void a_then_b(bool gated) {
  if (gated)
    pthread_mutex_lock(&gate);
  pthread_mutex_lock(&lock_a); // SITE
  pthread_mutex_lock(&lock_b); // SITE
  total++;
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
  if (gated)
    pthread_mutex_unlock(&gate);
}

static void *first(void *unused) {
  (void)unused;
  for (int i = 0; i <= 50; i++)
    a_then_b(i < 50); /* the bug: the gate forgotten on the last pass */
  return NULL;
}

static void *second(void *unused) {
  (void)unused;
  pthread_mutex_lock(&gate);
  pthread_mutex_lock(&lock_b); // SITE
  pthread_mutex_lock(&lock_a); // SITE
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
