// EXPECT: none
// SCHEDULES: 20
// DESCRIPTION: pthread_cancel of a thread waiting in pthread_cond_wait for a predicate nobody sets: the waiter re-acquires the mutex, its cleanup handler unlocks it, its thread-specific destructor runs, and the join returns PTHREAD_CANCELED (checked, as is the mutex being free again)
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static int released, destroyed, waiting;
static pthread_key_t key;

static void unlock_on_cancel(void *mutex) {
  released = 1;
  pthread_mutex_unlock(mutex);
}

static void destroy_value(void *value) {
  (void)value;
  destroyed = 1;
}

static void *waiter(void *unused) {
  (void)unused;
  static int value;
  pthread_setspecific(key, &value);
  pthread_mutex_lock(&lock);
  pthread_cleanup_push(unlock_on_cancel, &lock);
  waiting = 1;
  for (;;) /* nobody signals: only the cancellation ends this wait */
    pthread_cond_wait(&never, &lock);
  pthread_cleanup_pop(1);
  return NULL;
}

int main(void) {
  pthread_key_create(&key, destroy_value);
  pthread_t t;
  pthread_create(&t, NULL, waiter, NULL);
  pthread_cancel(t);
  void *result = NULL;
  pthread_join(t, &result);
  if (result != PTHREAD_CANCELED || !released || !destroyed)
    abort();
  pthread_mutex_lock(&lock); /* free again: the cleanup handler unlocked it */
  pthread_mutex_unlock(&lock);
  printf("canceled\n");
  return 0;
}
