// EXPECT: none
// DESCRIPTION: a program that relies on glibc's documented error codes and asserts them: tries and
// timed waits that must fail (EBUSY from a try on a write-held rwlock, also by its writer; EDEADLK
// from the writer's rdlock and wrlock and from an errorcheck mutex locked again; EBUSY from an
// errorcheck trylock by the owner; EINVAL for a time-out with tv_nsec >= 1e9 in cond, sem and
// rwlock waits and for a mutex wait that would block, for a clock no wait takes, for a mutex whose
// memory is garbage; EAGAIN from sem_trywait). A second thread holds the rwlock and the mutex while main tries them. Every call
// returns what glibc returns, so no assert fires: no finding. SCHEDULES: 4
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t held, release;
static const struct timespec past = {0, 0};
static const struct timespec bad = {0, 1000000000};

static void *holder(void *unused) {
  (void)unused;
  pthread_rwlock_wrlock(&table_lock);
  pthread_mutex_lock(&log_lock);
  assert(pthread_rwlock_trywrlock(&table_lock) == EBUSY);
  assert(pthread_rwlock_tryrdlock(&table_lock) == EBUSY);
  assert(pthread_rwlock_rdlock(&table_lock) == EDEADLK);
  assert(pthread_rwlock_wrlock(&table_lock) == EDEADLK);
  assert(pthread_mutex_timedlock(&log_lock, &bad) == EINVAL);
  assert(pthread_mutex_timedlock(&log_lock, &past) == ETIMEDOUT);
  sem_post(&held);
  sem_wait(&release);
  pthread_mutex_unlock(&log_lock);
  pthread_rwlock_unlock(&table_lock);
  return 0;
}

static void others_hold(void) {
  assert(pthread_rwlock_tryrdlock(&table_lock) == EBUSY);
  assert(pthread_rwlock_timedwrlock(&table_lock, &bad) == EINVAL);
  assert(pthread_rwlock_timedrdlock(&table_lock, &past) == ETIMEDOUT);
  assert(pthread_mutex_trylock(&log_lock) == EBUSY);
  assert(pthread_mutex_timedlock(&log_lock, &bad) == EINVAL);
  assert(pthread_mutex_clocklock(&log_lock, CLOCK_PROCESS_CPUTIME_ID, &past) == EINVAL);
}

static void own_checks(void) {
  pthread_mutex_t checked = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
  assert(pthread_mutex_lock(&checked) == 0);
  assert(pthread_mutex_lock(&checked) == EDEADLK);
  assert(pthread_mutex_trylock(&checked) == EBUSY);
  assert(pthread_mutex_timedlock(&checked, &bad) == EDEADLK);
  assert(pthread_mutex_unlock(&checked) == 0);
  pthread_mutex_t garbage;
  memset(&garbage, 0xff, sizeof garbage);
  assert(pthread_mutex_lock(&garbage) == EINVAL);
  assert(pthread_mutex_trylock(&garbage) == EINVAL);

  pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&m);
  assert(pthread_cond_timedwait(&cond, &m, &bad) == EINVAL);
  assert(pthread_cond_clockwait(&cond, &m, CLOCK_PROCESS_CPUTIME_ID, &past) == EINVAL);
  assert(pthread_cond_timedwait(&cond, &m, &past) == ETIMEDOUT);
  pthread_mutex_unlock(&m);

  sem_t permits;
  sem_init(&permits, 0, 1);
  assert(sem_timedwait(&permits, &bad) == -1 && errno == EINVAL);
  assert(sem_trywait(&permits) == 0);
  assert(sem_trywait(&permits) == -1 && errno == EAGAIN);
  assert(sem_timedwait(&permits, &past) == -1 && errno == ETIMEDOUT);
  sem_destroy(&permits);
  /* A post past SEM_VALUE_MAX and a barrier of count 0 are misuse findings
   * (misuse_* testcases); tools/test/glibc_error_codes.c checks their codes. */
}

int main(void) {
  sem_init(&held, 0, 0);
  sem_init(&release, 0, 0);
  pthread_t thread;
  pthread_create(&thread, 0, holder, 0);
  own_checks();
  sem_wait(&held);
  others_hold();
  sem_post(&release);
  pthread_join(thread, 0);
  assert(pthread_rwlock_trywrlock(&table_lock) == 0);
  pthread_rwlock_unlock(&table_lock);
  puts("glibc's error codes");
  return 0;
}
