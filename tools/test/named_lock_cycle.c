/* named_lock_cycle.c — the lock-order program of suppressions_test.py: main and
 * a thread take two mutexes in opposite orders; one is named with
 * racecheck_lock_name, so reports (and a lock-order suppression) can call it
 * "journal_lock". */
#include <pthread.h>
#include <racecheck/annotations.h>
static pthread_mutex_t *a, *b;
static void *t1(void *x) {
  (void)x;
  pthread_mutex_lock(a);
  pthread_mutex_lock(b);
  pthread_mutex_unlock(b);
  pthread_mutex_unlock(a);
  return 0;
}
int main(void) {
  static pthread_mutex_t m[2] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
  a = &m[0];
  b = &m[1];
  racecheck_lock_name(a, "journal_lock");
  pthread_t t;
  pthread_create(&t, 0, t1, 0);
  pthread_mutex_lock(b);
  pthread_mutex_lock(a);
  pthread_mutex_unlock(a);
  pthread_mutex_unlock(b);
  pthread_join(t, 0);
  return 0;
}
