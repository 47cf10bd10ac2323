// EXPECT: none
// SCHEDULES: 4
// DESCRIPTION: a worker takes lock a then b, releases both and then writes a byte to a pipe; main reads that byte before it takes b then a: the opposite orders form a lock-order cycle, but the pipe's write happens before main's read, so the two nested sections can never overlap and no deadlock is possible
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
int turn_fds[2];
long balance_a, balance_b;

static void *first_turn(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock_a);
  pthread_mutex_lock(&lock_b);
  balance_a -= 10;
  balance_b += 10;
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
  char done = 'x';
  if (write(turn_fds[1], &done, 1) != 1)
    return NULL;
  return NULL;
}

int main(void) {
  if (pipe(turn_fds) != 0)
    return 1;
  pthread_t worker;
  pthread_create(&worker, NULL, first_turn, NULL);
  char done;
  if (read(turn_fds[0], &done, 1) != 1)
    return 1;
  pthread_mutex_lock(&lock_b);
  pthread_mutex_lock(&lock_a);
  balance_b -= 5;
  balance_a += 5;
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&lock_b);
  pthread_join(worker, NULL);
  printf("%ld %ld\n", balance_a, balance_b);
  return 0;
}
