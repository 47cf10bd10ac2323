// EXPECT: race
// DESCRIPTION: a detached thread reports through plain globals that main polls with sleeps; sleeping orders nothing
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int worker_result;
static int worker_done;

static void *background_work(void *unused) {
  (void)unused;
  worker_result = 6 * 7; // SITE
  worker_done = 1; // SITE
  return NULL;
}

int main(void) {
  pthread_t worker;
  pthread_create(&worker, NULL, background_work, NULL);
  pthread_detach(worker);
  while (!worker_done) // SITE
    usleep(100);
  printf("result %d\n", worker_result); // SITE
  return 0;
}
