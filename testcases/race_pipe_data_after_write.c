// EXPECT: race
// DESCRIPTION: a worker writes the pipe's byte first and fills the global only afterwards; main reads the global after the byte arrived, but the pipe orders only what came before the write(), so the global's write and read race (the pipe is non-blocking and main polls it with sched_yield, so no call waits outside the scheduler and every schedule replays exactly)
// VARIABLE: late_payload
// SCHEDULES: 4
#define _GNU_SOURCE /* pipe2 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

int late_fds[2];
int late_payload; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void *produce(void *unused) {
  (void)unused;
  char token = 'x';
  if (write(late_fds[1], &token, 1) != 1)
    return NULL;
  late_payload = 42; // SITE
  return NULL;
}

int main(void) {
  if (pipe2(late_fds, O_NONBLOCK) != 0)
    return 1;
  pthread_t producer;
  pthread_create(&producer, NULL, produce, NULL);
  char token = 0;
  ssize_t got;
  while ((got = read(late_fds[0], &token, 1)) != 1 && got != 0)
    sched_yield(); /* EAGAIN: not written yet */
  int seen = got == 1 ? late_payload : 0; // SITE
  pthread_join(producer, NULL);
  printf("done %d\n", seen == 42 || seen == 0);
  return 0;
}
