// EXPECT: none
// SCHEDULES: 20
// DESCRIPTION: pthread_kill to threads blocked in pthread_mutex_lock, pthread_rwlock_rdlock, pthread_barrier_wait and pthread_join: each handler runs on its thread (main waits for all four flags before it releases anything) and each wait then resumes and succeeds as glibc's does, never returning EINTR (return values checked)
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { LOCKER, READER, ARRIVER, JOINER, WAITERS };
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t barrier;
static pthread_t threads[WAITERS];
static atomic_int handled[WAITERS];
static __thread int role = -1;

static void on_usr1(int sig) {
  (void)sig;
  if (role >= 0)
    atomic_store(&handled[role], 1);
}

static void *waiter(void *arg) {
  role = (int)(long)arg;
  int r = 0;
  switch (role) {
  case LOCKER:
    if ((r = pthread_mutex_lock(&mutex)) == 0)
      r = pthread_mutex_unlock(&mutex);
    break;
  case READER:
    if ((r = pthread_rwlock_rdlock(&rwlock)) == 0)
      r = pthread_rwlock_unlock(&rwlock);
    break;
  case ARRIVER:
    r = pthread_barrier_wait(&barrier);
    if (r == PTHREAD_BARRIER_SERIAL_THREAD)
      r = 0;
    break;
  case JOINER:
    r = pthread_join(threads[LOCKER], NULL);
    break;
  }
  if (r != 0)
    abort(); /* these waits never fail because of a signal */
  return NULL;
}

static int all_handled(void) {
  for (int i = 0; i < WAITERS; i++)
    if (!atomic_load(&handled[i]))
      return 0;
  return 1;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1; /* no SA_RESTART: these waits resume anyway */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  pthread_barrier_init(&barrier, NULL, 2);
  pthread_mutex_lock(&mutex);
  pthread_rwlock_wrlock(&rwlock);
  for (long i = 0; i < WAITERS; i++)
    pthread_create(&threads[i], NULL, waiter, (void *)i);
  while (!all_handled()) { /* again for those not yet waiting */
    for (int i = 0; i < WAITERS; i++)
      if (!atomic_load(&handled[i]))
        pthread_kill(threads[i], SIGUSR1);
    usleep(1000);
  }
  pthread_rwlock_unlock(&rwlock);
  pthread_mutex_unlock(&mutex);
  int r = pthread_barrier_wait(&barrier);
  if (r != 0 && r != PTHREAD_BARRIER_SERIAL_THREAD)
    abort();
  for (int i = READER; i < WAITERS; i++)
    pthread_join(threads[i], NULL);
  printf("all resumed\n");
  return 0;
}
