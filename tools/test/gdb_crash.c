// A worker dereferences the null pointer the main thread handed it: the
// crash `racecheck replay --gdb` must stop at the faulting load
// (gdb_replay_test.py).
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

struct job {
  int *target;
};

static void *worker(void *arg) {
  struct job *job = arg;
  int value = *job->target; /* faults: target is null */
  printf("%d\n", value);
  return NULL;
}

int main(void) {
  struct job job = {NULL};
  pthread_t t;
  pthread_create(&t, NULL, worker, &job);
  pthread_join(t, NULL);
  return 0;
}
