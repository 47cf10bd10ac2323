// EXPECT: lock-order-cycle
// SCHEDULES: 8
// DESCRIPTION: two threads take locks a and b in opposite orders inside a section guarded by a semaphore with two permits, which lets both in at once: the semaphore orders them in some runs, but not in every one, so the inversion is a potential deadlock
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
sem_t permits;
long total_a, total_b;

static void *a_then_b(void *unused) {
  (void)unused;
  sem_wait(&permits);
  pthread_mutex_lock(&lock_a); // SITE
  pthread_mutex_lock(&lock_b); // SITE
  total_a++;
  total_b++;
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
  sem_post(&permits);
  return NULL;
}

static void *b_then_a(void *unused) {
  (void)unused;
  sem_wait(&permits);
  pthread_mutex_lock(&lock_b); // SITE
  pthread_mutex_lock(&lock_a); // SITE
  total_a--;
  total_b--;
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&lock_b);
  sem_post(&permits);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  sem_init(&permits, 0, 2);
  pthread_create(&t1, NULL, a_then_b, NULL);
  pthread_create(&t2, NULL, b_then_a, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("%ld %ld\n", total_a, total_b);
  return 0;
}
