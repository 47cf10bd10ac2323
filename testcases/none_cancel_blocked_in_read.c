// EXPECT: none
// SCHEDULES: 20
// DESCRIPTION: pthread_cancel of threads blocked in intercepted calls that wait in the kernel: one in read on a pipe nobody writes, one in recv on a socketpair nobody writes; the main thread lets them block, cancels each, and every join returns PTHREAD_CANCELED (checked); the read end is then written and read by main, so the descriptors still work
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int pipe_fds[2], sock_fds[2];

static void *read_pipe(void *unused) {
  (void)unused;
  char c;
  ssize_t n = read(pipe_fds[0], &c, 1); /* nobody writes: only cancellation ends it */
  printf("read returned %zd\n", n);
  return NULL;
}

static void *recv_socket(void *unused) {
  (void)unused;
  char c;
  ssize_t n = recv(sock_fds[0], &c, 1, 0);
  printf("recv returned %zd\n", n);
  return NULL;
}

int main(void) {
  if (pipe(pipe_fds) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sock_fds) != 0)
    return 1;
  pthread_t reader, receiver;
  pthread_create(&reader, NULL, read_pipe, NULL);
  pthread_create(&receiver, NULL, recv_socket, NULL);
  struct timespec pause = {0, 20 * 1000 * 1000}; /* let both block */
  nanosleep(&pause, NULL);
  pthread_cancel(reader);
  pthread_cancel(receiver);
  void *r1, *r2;
  pthread_join(reader, &r1);
  pthread_join(receiver, &r2);
  if (r1 != PTHREAD_CANCELED || r2 != PTHREAD_CANCELED) {
    fprintf(stderr, "a blocked reader was not canceled\n");
    return 1;
  }
  char c = 'x', back = 0;
  if (write(pipe_fds[1], &c, 1) != 1 || read(pipe_fds[0], &back, 1) != 1 || back != 'x')
    return 1;
  puts("both readers canceled");
  return 0;
}
