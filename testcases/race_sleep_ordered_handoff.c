// EXPECT: race
// DESCRIPTION: the worker writes a result after sleeping 1 ms and the main thread reads it after sleeping 20 ms, with nothing else between them: natively the sleeps almost always order the two, but a sleep is not synchronisation (a loaded machine delays the worker past the read), so this is a data race, as ThreadSanitizer reports it too
// SCHEDULES: 10
// VARIABLE: result
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int result;
int observed;

static void *worker(void *unused) {
  (void)unused;
  usleep(1000);
  result = 42; // SITE
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  usleep(20000);
  observed = result; // SITE
  pthread_join(thread, NULL);
  printf("handed over\n");
  return 0;
}
