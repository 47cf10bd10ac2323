// EXPECT: none
// DESCRIPTION: four threads compute in phases separated by pthread_barrier_wait, reading their neighbours' cells from the previous phase
#include <pthread.h>
#include <stdio.h>

enum { kThreads = 4, kPhases = 6 };

static pthread_barrier_t phase_barrier;
static long cells[2][kThreads]; /* double buffer: phase p writes cells[p % 2] */

static void *run_phases(void *arg) {
  int self = (int)(long)arg;
  for (int phase = 1; phase <= kPhases; phase++) {
    const long *previous = cells[(phase + 1) % 2];
    long *next = cells[phase % 2];
    next[self] = previous[self] + previous[(self + 1) % kThreads] + 1;
    pthread_barrier_wait(&phase_barrier);
  }
  return NULL;
}

int main(void) {
  pthread_barrier_init(&phase_barrier, NULL, kThreads);
  pthread_t workers[kThreads];
  for (long i = 0; i < kThreads; i++)
    pthread_create(&workers[i], NULL, run_phases, (void *)i);
  for (int i = 0; i < kThreads; i++)
    pthread_join(workers[i], NULL);
  pthread_barrier_destroy(&phase_barrier);
  printf("%ld %ld %ld %ld\n", cells[0][0], cells[0][1], cells[0][2], cells[0][3]);
  return 0;
}
