// EXPECT: deadlock
// DESCRIPTION: a worker takes the lock and pushes a cleanup handler that forgets to unlock it; when main's pthread_cancel reaches the worker at its pthread_testcancel inside the locked region (before the worker finished), the canceled worker ends holding the lock and main's later lock waits forever (natively too: the bug itself can keep this program from ending)
// SCHEDULES: 10
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int ready;

static void forget_to_unlock(void *unused) {
  (void)unused; /* should have unlocked `lock` */
}

static void *worker(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock);
  pthread_cleanup_push(forget_to_unlock, NULL);
  pthread_testcancel();
  while (!ready)
    pthread_cond_wait(&changed, &lock);
  pthread_cleanup_pop(0);
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_mutex_lock(&lock);
  ready = 1;
  pthread_cond_signal(&changed);
  pthread_mutex_unlock(&lock);
  pthread_cancel(t);
  pthread_join(t, NULL);
  pthread_mutex_lock(&lock); // SITE
  pthread_mutex_unlock(&lock);
  printf("done\n");
  return 0;
}
