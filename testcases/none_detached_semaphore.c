// EXPECT: none
// DESCRIPTION: a detached thread computes a result and signals it with sem_post; main reads it after sem_wait
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t result_ready;
static long computed_result;
static char worker_message[32];

static void *compute(void *unused) {
  (void)unused;
  long sum = 0;
  for (int i = 1; i <= 100; i++)
    sum += i;
  computed_result = sum;
  snprintf(worker_message, sizeof worker_message, "sum of 1..100");
  sem_post(&result_ready);
  return NULL;
}

int main(void) {
  sem_init(&result_ready, 0, 0);
  pthread_t worker;
  pthread_create(&worker, NULL, compute, NULL);
  pthread_detach(worker);
  sem_wait(&result_ready);
  printf("%s = %ld\n", worker_message, computed_result);
  return computed_result == 5050 ? 0 : 1;
}
