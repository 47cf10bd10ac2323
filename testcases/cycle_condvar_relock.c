// EXPECT: lock-order-cycle
// DESCRIPTION: the consumer holds state_lock while it waits on a condition variable, so returning from the wait re-acquires queue_lock under state_lock; the producer later takes queue_lock then state_lock; nothing orders the producer's nested section after the consumer's: a potential deadlock
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t queue_ready = PTHREAD_COND_INITIALIZER;
int ready, consumed, state;

static void *consumer(void *unused) {
  (void)unused;
  pthread_mutex_lock(&queue_lock);
  pthread_mutex_lock(&state_lock); // SITE
  while (!ready)
    pthread_cond_wait(&queue_ready, &queue_lock); // SITE
  consumed = 1;
  state++;
  pthread_mutex_unlock(&state_lock);
  pthread_mutex_unlock(&queue_lock);
  return NULL;
}

static void *producer(void *unused) {
  (void)unused;
  pthread_mutex_lock(&queue_lock);
  ready = 1;
  pthread_cond_signal(&queue_ready);
  pthread_mutex_unlock(&queue_lock);
  pthread_mutex_lock(&queue_lock); // SITE
  pthread_mutex_lock(&state_lock); // SITE
  state++;
  pthread_mutex_unlock(&state_lock);
  pthread_mutex_unlock(&queue_lock);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, consumer, NULL);
  pthread_create(&t2, NULL, producer, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("%d %d\n", consumed, state);
  return 0;
}
