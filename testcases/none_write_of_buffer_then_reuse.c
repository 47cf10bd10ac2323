// EXPECT: none
// DESCRIPTION: one thread write()s a global buffer to a pipe; the other thread read()s the message from the pipe and only then rewrites the buffer. write() reads the buffer before it sends, and the pipe orders the send before the receive, so the rewrite comes after the kernel's read: no race (twin of race_write_of_buffer_being_written)
// SCHEDULES: 20
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

char outbox[8] = "hello";
static int pipe_fds[2];
static char received[sizeof outbox];

static void *sender(void *unused) {
  (void)unused;
  if (write(pipe_fds[1], outbox, sizeof outbox) < 0)
    return NULL;
  return NULL;
}

static void *editor(void *unused) {
  (void)unused;
  long got = 0;
  while (got < (long)sizeof received) {
    long n = read(pipe_fds[0], received + got, sizeof received - got);
    if (n <= 0)
      return NULL;
    got += n;
  }
  outbox[0] = 'j';
  return NULL;
}

int main(void) {
  if (pipe(pipe_fds) != 0)
    return 1;
  pthread_t threads[2];
  pthread_create(&threads[0], NULL, sender, NULL);
  pthread_create(&threads[1], NULL, editor, NULL);
  pthread_join(threads[0], NULL);
  pthread_join(threads[1], NULL);
  printf("%s %c\n", received, outbox[0]);
  return 0;
}
