// EXPECT: none
// DESCRIPTION: main polls a plain `volatile sig_atomic_t` flag (no atomics, no scheduling point in the loop) that its own SIGUSR1 handler sets; the signal comes from a worker that sleeps 2 ms first. While the worker sleeps and while a handler is installed, someone can still change the flag, so however many rounds main re-reads the unchanged value it is no hang; the flag is written and read only by the main thread (its handler), so there is no race. Under pct the poller, given the higher priority, once ran for ever past the sleeping worker: polling plain memory now yields to the fair layer
// SCHEDULES: 20
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t released;
static pthread_t main_thread;

static void on_usr1(int sig) {
  (void)sig;
  released = 1;
}

static void *releaser(void *unused) {
  (void)unused;
  usleep(2000);
  pthread_kill(main_thread, SIGUSR1);
  return NULL;
}

int main(void) {
  main_thread = pthread_self();
  signal(SIGUSR1, on_usr1);
  pthread_t thread;
  pthread_create(&thread, NULL, releaser, NULL);
  while (!released)
    ;
  pthread_join(thread, NULL);
  printf("released\n");
  return 0;
}
