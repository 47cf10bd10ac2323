// EXPECT: lock-order-cycle
// SCHEDULES: 4
// DESCRIPTION: the pipe-serialised inversion with the byte written too early: the worker writes to the pipe before it takes lock a then b, so main's read orders nothing about the worker's section and main taking b then a can deadlock with it (the pipe is non-blocking and main polls it with sched_yield, so no call waits outside the scheduler and schedules replay exactly)
#define _GNU_SOURCE /* pipe2 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t early_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t early_b = PTHREAD_MUTEX_INITIALIZER;
int early_fds[2];
long early_balance_a, early_balance_b;

static void *first_turn(void *unused) {
  (void)unused;
  char go = 'x';
  if (write(early_fds[1], &go, 1) != 1)
    return NULL;
  pthread_mutex_lock(&early_a); // SITE
  pthread_mutex_lock(&early_b); // SITE
  early_balance_a -= 10;
  early_balance_b += 10;
  pthread_mutex_unlock(&early_b);
  pthread_mutex_unlock(&early_a);
  return NULL;
}

int main(void) {
  if (pipe2(early_fds, O_NONBLOCK) != 0)
    return 1;
  pthread_t worker;
  pthread_create(&worker, NULL, first_turn, NULL);
  char go;
  ssize_t got;
  while ((got = read(early_fds[0], &go, 1)) != 1 && got != 0)
    sched_yield(); /* EAGAIN: not written yet */
  pthread_mutex_lock(&early_b); // SITE
  pthread_mutex_lock(&early_a); // SITE
  early_balance_b -= 5;
  early_balance_a += 5;
  pthread_mutex_unlock(&early_a);
  pthread_mutex_unlock(&early_b);
  pthread_join(worker, NULL);
  printf("%ld %ld\n", early_balance_a, early_balance_b);
  return 0;
}
