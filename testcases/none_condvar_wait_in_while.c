// EXPECT: none
// DESCRIPTION: the correct form of crash_condvar_wait_under_if.c: the consumer re-checks `ready` in a `while` loop around pthread_cond_wait, so a spurious wake-up (which racecheck makes on odd seeds) only sends it back to waiting; no race, no crash.
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
  while (!ready)
    pthread_cond_wait(&item_ready, &lock);
  assert(ready && item == 42);
  pthread_mutex_unlock(&lock);
  pthread_join(thread, NULL);
  printf("item %d\n", item);
  return 0;
}
