// EXPECT: none
// DESCRIPTION: the consumer holds state_lock while it waits on a condition variable, so returning from the wait re-acquires queue_lock under state_lock; the producer takes queue_lock then state_lock only after a semaphore (initially 0) that the consumer posts once it has released both: the inverted sections are ordered in every schedule, so the lock-order cycle cannot deadlock
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t queue_ready = PTHREAD_COND_INITIALIZER;
sem_t consumer_done;
int ready, consumed, state;

static void *consumer(void *unused) {
  (void)unused;
  pthread_mutex_lock(&queue_lock);
  pthread_mutex_lock(&state_lock);
  while (!ready)
    pthread_cond_wait(&queue_ready, &queue_lock);
  consumed = 1;
  state++;
  pthread_mutex_unlock(&state_lock);
  pthread_mutex_unlock(&queue_lock);
  sem_post(&consumer_done);
  return NULL;
}

static void *producer(void *unused) {
  (void)unused;
  pthread_mutex_lock(&queue_lock);
  ready = 1;
  pthread_cond_signal(&queue_ready);
  pthread_mutex_unlock(&queue_lock);
  sem_wait(&consumer_done);
  pthread_mutex_lock(&queue_lock);
  pthread_mutex_lock(&state_lock);
  state++;
  pthread_mutex_unlock(&state_lock);
  pthread_mutex_unlock(&queue_lock);
  return NULL;
}

int main(void) {
  sem_init(&consumer_done, 0, 0);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, consumer, NULL);
  pthread_create(&t2, NULL, producer, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("%d %d\n", consumed, state);
  return 0;
}
