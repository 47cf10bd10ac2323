// EXPECT: none
// DESCRIPTION: a worker fills a plain global, then writes a byte to a pipe; main reads the byte before it reads the global: the pipe's write happens before the read that returns its data (as ThreadSanitizer's fd model), so there is no race
// SCHEDULES: 8
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int pipe_fds[2];
int pipe_payload; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void *produce(void *unused) {
  (void)unused;
  pipe_payload = 42;
  char token = 'x';
  if (write(pipe_fds[1], &token, 1) != 1)
    return NULL;
  return NULL;
}

int main(void) {
  if (pipe(pipe_fds) != 0)
    return 1;
  pthread_t producer;
  pthread_create(&producer, NULL, produce, NULL);
  char token = 0;
  if (read(pipe_fds[0], &token, 1) == 1)
    printf("payload %d\n", pipe_payload);
  pthread_join(producer, NULL);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  return 0;
}
