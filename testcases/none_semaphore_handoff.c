// EXPECT: none
// DESCRIPTION: ping-pong through two POSIX semaphores: sem_post orders the slot write before the matching sem_wait
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t slot_filled;
static sem_t slot_consumed;
static int slot;
static int acknowledged;

static void *consume(void *unused) {
  (void)unused;
  for (int round = 0; round < 20; round++) {
    sem_wait(&slot_filled);
    acknowledged += slot;
    sem_post(&slot_consumed);
  }
  return NULL;
}

int main(void) {
  sem_init(&slot_filled, 0, 0);
  sem_init(&slot_consumed, 0, 0);
  pthread_t consumer;
  pthread_create(&consumer, NULL, consume, NULL);
  for (int round = 0; round < 20; round++) {
    slot = round;
    sem_post(&slot_filled);
    sem_wait(&slot_consumed);
    if (acknowledged < round)
      return 1;
  }
  pthread_join(consumer, NULL);
  sem_destroy(&slot_filled);
  sem_destroy(&slot_consumed);
  printf("acknowledged %d\n", acknowledged);
  return 0;
}
