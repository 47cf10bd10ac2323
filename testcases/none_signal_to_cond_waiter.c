// EXPECT: none
// SCHEDULES: 20
// DESCRIPTION: pthread_kill to a thread parked in pthread_cond_wait: the handler runs on it and sets an atomic flag main waits for before it sets the predicate; the wait goes on after the handler as glibc's does, and the signal under the mutex ends it
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int waiting, done;
static atomic_int handled; /* lock-free: safe in a handler */

static void on_usr1(int sig) {
  (void)sig;
  atomic_store(&handled, 1);
}

static void *waiter(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock);
  waiting = 1;
  pthread_cond_broadcast(&changed);
  while (!done)
    pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  pthread_t t;
  pthread_create(&t, NULL, waiter, NULL);
  pthread_mutex_lock(&lock);
  while (!waiting)
    pthread_cond_wait(&changed, &lock);
  pthread_mutex_unlock(&lock);
  pthread_kill(t, SIGUSR1);
  while (!atomic_load(&handled)) /* the handler runs on the waiting thread */
    usleep(100);
  pthread_mutex_lock(&lock);
  done = 1;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
  pthread_join(t, NULL);
  if (!atomic_load(&handled))
    abort(); /* the signal was never delivered */
  printf("handled\n");
  return 0;
}
