/* race_and_deadlock.c — the program of the exploration HTML test
 * (html_exploration_test.py): its schedules show different findings in runs
 * of different shapes. Two threads take locks `a` and `b` in opposite orders
 * (a deadlock in some schedules, a lock-order cycle in the others) and bump
 * `hits` without a lock (a data race); a run that does not deadlock goes on
 * to a third thread racing with main on `late`, so the deadlock's run has
 * three threads and the late race's four. */
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
long hits;
long late;

static void *forward(void *arg) {
  pthread_mutex_lock(&a);
  pthread_mutex_lock(&b);
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  hits++;
  return arg;
}

static void *backward(void *arg) {
  pthread_mutex_lock(&b);
  pthread_mutex_lock(&a);
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  hits++;
  return arg;
}

static void *latecomer(void *arg) {
  late = 1;
  return arg;
}

int main(void) {
  pthread_t t1, t2, t3;
  pthread_create(&t1, 0, forward, 0);
  pthread_create(&t2, 0, backward, 0);
  pthread_join(t1, 0);
  pthread_join(t2, 0);
  pthread_create(&t3, 0, latecomer, 0);
  late = 2;
  pthread_join(t3, 0);
  return 0;
}
