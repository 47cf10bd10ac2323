// EXPECT: race
// DESCRIPTION: a worker sends on one end of a socketpair while main closes that end, unordered: a race on the file descriptor itself (close is a write of the descriptor, send a read), named with where the socketpair was created
// SCHEDULES: 4
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int sender_fds[2];

static void *produce(void *unused) {
  (void)unused;
  char message = 'x';
  ssize_t n = send(sender_fds[0], &message, 1, MSG_DONTWAIT); // SITE
  (void)n;
  return NULL;
}

int main(void) {
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sender_fds) != 0)
    return 1;
  pthread_t producer;
  pthread_create(&producer, NULL, produce, NULL);
  close(sender_fds[0]); // SITE
  pthread_join(producer, NULL);
  close(sender_fds[1]);
  puts("done");
  return 0;
}
