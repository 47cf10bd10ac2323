// EXPECT: race
// SCHEDULES: 20
// DESCRIPTION: main publishes a message under the mailbox's mutex, unlocks, then signals the condition variable; the waiter may see the message without waiting, leave and free the mailbox before the signal, which then reads freed memory (the signal is not ordered before the free)
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct mailbox {
  pthread_mutex_t lock; /* first: the allocator's free-list links land here */
  pthread_cond_t arrived;
  int message;
};

static void *waiter(void *arg) {
  struct mailbox *box = arg;
  pthread_mutex_lock(&box->lock);
  while (box->message == 0)
    pthread_cond_wait(&box->arrived, &box->lock);
  int message = box->message;
  pthread_mutex_unlock(&box->lock);
  free(box); // SITE
  printf("got %d\n", message);
  return NULL;
}

int main(void) {
  struct mailbox *box = malloc(sizeof *box);
  pthread_mutex_init(&box->lock, NULL);
  pthread_cond_init(&box->arrived, NULL);
  box->message = 0;
  pthread_t t;
  pthread_create(&t, NULL, waiter, box);
  pthread_mutex_lock(&box->lock);
  box->message = 42;
  pthread_mutex_unlock(&box->lock);
  pthread_cond_signal(&box->arrived); // SITE
  pthread_join(t, NULL);
  return 0;
}
