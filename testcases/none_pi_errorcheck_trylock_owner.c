// EXPECT: none
// DESCRIPTION: a priority-inheritance errorcheck mutex guards a log; the helper that appends to it
// asks pthread_mutex_trylock whether its caller already holds the lock: glibc's PI (like robust)
// mutexes answer EDEADLK to their owner, EBUSY when another thread holds it. Two threads append,
// each once with the lock already held. No race, no deadlock: racecheck must give PI mutexes glibc's
// answers (an EBUSY to the owner would make the helper wait for itself). SCHEDULES: 8
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

static pthread_mutex_t log_lock;
static int log_lines;

static void append_line(void) {
  int rc = pthread_mutex_trylock(&log_lock);
  if (rc == EBUSY) rc = pthread_mutex_lock(&log_lock); /* someone else's: wait */
  bool mine_before = rc == EDEADLK;
  assert(rc == 0 || mine_before);
  log_lines++;
  if (!mine_before) pthread_mutex_unlock(&log_lock);
}

static void *writer(void *unused) {
  (void)unused;
  append_line();
  pthread_mutex_lock(&log_lock);
  append_line(); /* already held */
  pthread_mutex_unlock(&log_lock);
  return NULL;
}

int main(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
  pthread_mutex_init(&log_lock, &attr);
  pthread_mutexattr_destroy(&attr);
  pthread_t t[2];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, writer, NULL);
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  assert(log_lines == 4);
  printf("%d lines\n", log_lines);
  return 0;
}
