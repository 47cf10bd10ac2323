// Benchmark: unsynchronised counter, 2 threads x 1,000,000 increments (racy on purpose).
#include <pthread.h>
#include <stdio.h>
static volatile long counter;
static void *work(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000000; i++) counter++;
  return NULL;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work, NULL);
  pthread_create(&b, NULL, work, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("%ld\n", counter);
  return 0;
}
