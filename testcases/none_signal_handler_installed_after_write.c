// EXPECT: none
// SCHEDULES: 60
// DESCRIPTION: main writes a setting, then installs a SIGUSR1 handler that reads it, then signals a worker created before both; sigaction() happens-before every delivery of the handler, so the read is ordered after the write
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int handler_setting; /* external linkage: -O2 GlobalOpt cannot shrink or split it */
static volatile sig_atomic_t seen;
static sem_t ready;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int go;

static void on_usr1(int sig) {
  (void)sig;
  seen = handler_setting;
}

static void *worker(void *unused) {
  (void)unused;
  sem_post(&ready);
  pthread_mutex_lock(&lock);
  while (!go)
    pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  sem_init(&ready, 0, 0);
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
  pthread_mutex_lock(&lock);
  go = 1;
  pthread_cond_signal(&changed);
  pthread_mutex_unlock(&lock);
  pthread_join(t, NULL);
  if (seen != 42)
    abort();
  printf("seen %d\n", (int)seen);
  return 0;
}
