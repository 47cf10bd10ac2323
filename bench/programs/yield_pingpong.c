// Benchmark: switch cost: THREADS (argv[1], default 2) threads call
// sched_yield 20,000 times each; every yield is a scheduling point, so the
// switch count is large and known (run with 4 or 8 for the cost of a switch
// with more threads waiting).
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
static void *work(void *arg) {
  (void)arg;
  for (int i = 0; i < 20000; i++) sched_yield();
  return NULL;
}
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 2;
  if (n < 1 || n > 64)
    n = 2;
  pthread_t threads[64];
  for (int i = 0; i < n; i++)
    pthread_create(&threads[i], NULL, work, NULL);
  for (int i = 0; i < n; i++)
    pthread_join(threads[i], NULL);
  puts("done");
  return 0;
}
