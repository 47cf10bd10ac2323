// Benchmark: switch cost: 2 threads call sched_yield 20,000 times each; every
// yield is a scheduling point, so the switch count is large and known.
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
static void *work(void *arg) {
  (void)arg;
  for (int i = 0; i < 20000; i++) sched_yield();
  return NULL;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work, NULL);
  pthread_create(&b, NULL, work, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  puts("done");
  return 0;
}
