// EXPECT: none
// SCHEDULES: 20
// DESCRIPTION: a SIGUSR1 handler installed without SA_RESTART interrupts a thread blocked in sem_wait (main posts only once the handler has set an atomic flag), which then returns -1 with errno EINTR as glibc's does; the program checks errno on every failed wait and retries until the post arrives
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sem_t ready, go;
static atomic_int handled; /* lock-free: safe in a handler */

static void on_usr1(int sig) {
  (void)sig;
  atomic_store(&handled, 1);
}

static void *worker(void *unused) {
  (void)unused;
  sem_post(&ready);
  while (sem_wait(&go) != 0)
    if (errno != EINTR || !atomic_load(&handled))
      abort(); /* only the handler may end the wait early */
  return NULL;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1; /* no SA_RESTART (sem_wait ignores it anyway) */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  sem_init(&ready, 0, 0);
  sem_init(&go, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  sem_wait(&ready);
  pthread_kill(t, SIGUSR1);
  while (!atomic_load(&handled)) /* the handler runs on the waiting thread */
    usleep(100);
  sem_post(&go);
  pthread_join(t, NULL);
  if (!atomic_load(&handled))
    abort();
  printf("done\n");
  return 0;
}
