// EXPECT: misuse
// DESCRIPTION: the twin of none_pi_errorcheck_trylock_owner: a helper unlocks a priority-inheritance
// mutex that another thread holds. glibc refuses with EPERM for PI mutexes of any type (the kernel
// owns their lock word), so the holder keeps it, but the call is a misuse (unlock of a lock held by
// another thread). SCHEDULES: 4
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_mutex_t table_lock;
static sem_t locked, unlocked_by_other;

static void *holder(void *unused) {
  (void)unused;
  pthread_mutex_lock(&table_lock);
  sem_post(&locked);
  sem_wait(&unlocked_by_other);
  pthread_mutex_unlock(&table_lock);
  return NULL;
}

int main(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
  pthread_mutex_init(&table_lock, &attr);
  pthread_mutexattr_destroy(&attr);
  sem_init(&locked, 0, 0);
  sem_init(&unlocked_by_other, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, holder, NULL);
  sem_wait(&locked);
  int rc = pthread_mutex_unlock(&table_lock); // SITE
  assert(rc == EPERM);
  sem_post(&unlocked_by_other);
  pthread_join(t, NULL);
  printf("refused\n");
  return 0;
}
