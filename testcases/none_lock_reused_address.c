// EXPECT: none
// DESCRIPTION: one mutex variable is initialised, used under lock_a and destroyed by one thread, then initialised again and taken before lock_a by another: two different locks at one address, so no lock-order cycle
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t slot_lock;
sem_t first_done;
long uses;

static void *first_lifetime(void *unused) {
  (void)unused;
  pthread_mutex_init(&slot_lock, NULL);
  pthread_mutex_lock(&lock_a);
  pthread_mutex_lock(&slot_lock);
  uses++;
  pthread_mutex_unlock(&slot_lock);
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_destroy(&slot_lock);
  sem_post(&first_done);
  return NULL;
}

static void *second_lifetime(void *unused) {
  (void)unused;
  sem_wait(&first_done);
  pthread_mutex_init(&slot_lock, NULL);
  pthread_mutex_lock(&slot_lock);
  pthread_mutex_lock(&lock_a);
  uses++;
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&slot_lock);
  pthread_mutex_destroy(&slot_lock);
  return NULL;
}

int main(void) {
  sem_init(&first_done, 0, 0);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, first_lifetime, NULL);
  pthread_create(&t2, NULL, second_lifetime, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("%ld\n", uses);
  return 0;
}
