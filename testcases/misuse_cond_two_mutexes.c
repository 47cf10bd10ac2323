// EXPECT: misuse
// DESCRIPTION: two waiters wait on one condition variable at the same time, each with its own mutex
// SCHEDULES: 8
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t left_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t right_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int left_go, right_go; /* guarded by left_lock, right_lock */

static void *left(void *unused) {
  (void)unused;
  pthread_mutex_lock(&left_lock);
  while (!left_go)
    pthread_cond_wait(&go, &left_lock); // SITE
  pthread_mutex_unlock(&left_lock);
  return NULL;
}

static void *right(void *unused) {
  (void)unused;
  pthread_mutex_lock(&right_lock);
  while (!right_go)
    pthread_cond_wait(&go, &right_lock); // SITE
  pthread_mutex_unlock(&right_lock);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, left, NULL);
  pthread_create(&b, NULL, right, NULL);
  pthread_mutex_lock(&left_lock);
  left_go = 1;
  pthread_mutex_unlock(&left_lock);
  pthread_mutex_lock(&right_lock);
  right_go = 1;
  pthread_mutex_unlock(&right_lock);
  pthread_cond_broadcast(&go);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("both went\n");
  return 0;
}
