// EXPECT: none
// SCHEDULES: 20
// DESCRIPTION: main writes a setting, then installs a SIGUSR1 handler that reads it, then signals a worker created before both; sigaction() happens-before every delivery of the handler, so the read is ordered after the write (the worker's sem_wait may end with EINTR and is retried)
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int handler_setting; /* external linkage: -O2 GlobalOpt cannot shrink or split it */
static volatile sig_atomic_t seen;
static sem_t ready, go;

static void on_usr1(int sig) {
  (void)sig;
  seen = handler_setting;
}

static void *worker(void *unused) {
  (void)unused;
  sem_post(&ready);
  while (sem_wait(&go) != 0)
    if (errno != EINTR)
      abort();
  return NULL;
}

int main(void) {
  sem_init(&ready, 0, 0);
  sem_init(&go, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  sem_wait(&ready); /* orders the worker's start before main, not back */
  handler_setting = 42;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  pthread_kill(t, SIGUSR1);
  sem_post(&go);
  pthread_join(t, NULL);
  if (seen != 42)
    abort();
  printf("seen %d\n", (int)seen);
  return 0;
}
