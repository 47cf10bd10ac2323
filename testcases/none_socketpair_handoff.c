// EXPECT: none
// DESCRIPTION: request and reply through a socketpair: each side fills a plain global before send() and the other reads it after its recv() returned the message, so send happens before that recv and nothing races; the worker closes its end only after main's last recv
// SCHEDULES: 8
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int pair_fds[2];
int pair_request;
int pair_reply;

static void *serve(void *unused) {
  (void)unused;
  char message;
  if (recv(pair_fds[1], &message, 1, 0) != 1)
    return NULL;
  pair_reply = pair_request * 2;
  if (send(pair_fds[1], &message, 1, 0) != 1)
    return NULL;
  return NULL;
}

int main(void) {
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair_fds) != 0)
    return 1;
  pthread_t server;
  pthread_create(&server, NULL, serve, NULL);
  pair_request = 21;
  char message = 'q';
  if (send(pair_fds[0], &message, 1, 0) != 1)
    return 1;
  if (recv(pair_fds[0], &message, 1, 0) == 1)
    printf("reply %d\n", pair_reply);
  pthread_join(server, NULL);
  close(pair_fds[0]);
  close(pair_fds[1]);
  return 0;
}
