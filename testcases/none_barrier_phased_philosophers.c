// EXPECT: none
// SCHEDULES: 4
// DESCRIPTION: seven dining philosophers (thread i takes lock i, then lock i+1 of a ring of seven: a lock-order cycle of seven) eat in turns: in phase p only philosopher p nests, and all meet at a barrier between phases, so every nested section is ordered before the next by the barrier and no deadlock is possible in any schedule
#include <pthread.h>
#include <stdio.h>

#define THREADS 7

pthread_mutex_t ring[THREADS];
pthread_barrier_t phase;
long totals[THREADS];

static void *worker(void *arg) {
  long self = (long)arg;
  for (int p = 0; p < THREADS; p++) {
    if (p == self) {
      int first = (int)self, second = (int)(self + 1) % THREADS;
      pthread_mutex_lock(&ring[first]);
      pthread_mutex_lock(&ring[second]);
      totals[first]++;
      totals[second]--;
      pthread_mutex_unlock(&ring[second]);
      pthread_mutex_unlock(&ring[first]);
    }
    pthread_barrier_wait(&phase);
  }
  return NULL;
}

int main(void) {
  pthread_t threads[THREADS];
  pthread_barrier_init(&phase, NULL, THREADS);
  for (int i = 0; i < THREADS; i++)
    pthread_mutex_init(&ring[i], NULL);
  for (long i = 0; i < THREADS; i++)
    pthread_create(&threads[i], NULL, worker, (void *)i);
  for (int i = 0; i < THREADS; i++)
    pthread_join(threads[i], NULL);
  long sum = 0;
  for (int i = 0; i < THREADS; i++)
    sum += totals[i];
  printf("%ld\n", sum);
  pthread_barrier_destroy(&phase);
  return 0;
}
