// EXPECT: none
// DESCRIPTION: a start gate: workers wait on a condition variable until main, having prepared the shared input, sets the flag and broadcasts
#include <pthread.h>
#include <stdio.h>

enum { kWorkers = 4 };

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_opened = PTHREAD_COND_INITIALIZER;
static int gate_open;
static int input[kWorkers];
static int output[kWorkers];

static void *wait_at_gate(void *arg) {
  int self = (int)(long)arg;
  pthread_mutex_lock(&gate_lock);
  while (!gate_open)
    pthread_cond_wait(&gate_opened, &gate_lock);
  pthread_mutex_unlock(&gate_lock);
  output[self] = input[self] * 2;
  return NULL;
}

int main(void) {
  pthread_t workers[kWorkers];
  for (long i = 0; i < kWorkers; i++)
    pthread_create(&workers[i], NULL, wait_at_gate, (void *)i);
  for (int i = 0; i < kWorkers; i++)
    input[i] = 10 + i; /* after the creates: published by the broadcast under the lock */
  pthread_mutex_lock(&gate_lock);
  gate_open = 1;
  pthread_cond_broadcast(&gate_opened);
  pthread_mutex_unlock(&gate_lock);
  for (int i = 0; i < kWorkers; i++)
    pthread_join(workers[i], NULL);
  printf("%d %d %d %d\n", output[0], output[1], output[2], output[3]);
  return 0;
}
