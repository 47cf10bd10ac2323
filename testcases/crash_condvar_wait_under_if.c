// EXPECT: crash
// DESCRIPTION: the consumer waits for the producer's item (which takes a millisecond) with `if (!ready) pthread_cond_wait(...)` instead of a `while` loop, then asserts the item is there. Every signal comes after `ready` is set, so only a spurious wake-up (POSIX allows one) returns from the wait early and fails the assertion; racecheck lets waits wake spuriously on odd seeds (--spurious-wakeups auto), so exploration finds it. The correct `while` version is none_condvar_wait_in_while.c.
// SCHEDULES: 8
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t item_ready = PTHREAD_COND_INITIALIZER;
static int ready;
static int item;

static void *producer(void *unused) {
  (void)unused;
  usleep(1000); /* the item takes a while: the consumer is waiting by then */
  pthread_mutex_lock(&lock);
  item = 42;
  ready = 1;
  pthread_cond_signal(&item_ready);
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, producer, NULL);
  pthread_mutex_lock(&lock);
  if (!ready)
    pthread_cond_wait(&item_ready, &lock);
  assert(ready && item == 42); // SITE
  pthread_mutex_unlock(&lock);
  pthread_join(thread, NULL);
  printf("item %d\n", item);
  return 0;
}
