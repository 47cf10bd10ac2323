// EXPECT: race
// SCHEDULES: 5
// DESCRIPTION: main installs a SIGUSR1 handler, then writes the setting the handler reads, then signals a worker; only what precedes sigaction() is ordered before the handler (pthread_kill is no synchronisation), so the write races with the handler's read
// VARIABLE: late_setting
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int late_setting; /* external linkage: -O2 GlobalOpt cannot shrink or split it */
static volatile sig_atomic_t seen;
static sem_t ready;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int go;

static void on_usr1(int sig) {
  (void)sig;
  seen = late_setting; // SITE
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
  sem_wait(&ready);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  late_setting = 42; // SITE
  pthread_kill(t, SIGUSR1);
  pthread_mutex_lock(&lock);
  go = 1;
  pthread_cond_signal(&changed);
  pthread_mutex_unlock(&lock);
  pthread_join(t, NULL);
  printf("seen %d\n", (int)seen);
  return 0;
}
