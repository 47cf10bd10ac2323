// EXPECT: none
// SCHEDULES: 20
// DESCRIPTION: the correct twin of race_free_cond_signalled_after_unlock: main signals while it still holds the mutex, so the signal is ordered before the waiter's re-acquisition and its free of the mailbox
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct mailbox {
  pthread_mutex_t lock;
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
  free(box);
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
  pthread_cond_signal(&box->arrived);
  pthread_mutex_unlock(&box->lock);
  pthread_join(t, NULL);
  return 0;
}
