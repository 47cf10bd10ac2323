// EXPECT: none
// DESCRIPTION: the unix-socket hand-off over loopback TCP: main listens on 127.0.0.1 port 0 (the kernel picks it, getsockname says which); a client thread fills one global before connect() and another before send(); main reads them after accept() and recv() returned, so nothing races
// SCHEDULES: 8
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

struct sockaddr_in tcp_address;
int tcp_greeting; /* ordered by connect -> accept */
int tcp_payload;  /* ordered by send -> recv */

static void *client(void *unused) {
  (void)unused;
  tcp_greeting = 7;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&tcp_address, sizeof tcp_address) != 0)
    return NULL;
  tcp_payload = 42;
  char message = 'x';
  if (send(fd, &message, 1, 0) != 1)
    return NULL;
  close(fd);
  return NULL;
}

int main(void) {
  tcp_address.sin_family = AF_INET;
  tcp_address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  tcp_address.sin_port = 0;
  socklen_t length = sizeof tcp_address;
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0 || bind(listener, (struct sockaddr *)&tcp_address, sizeof tcp_address) != 0 ||
      listen(listener, 1) != 0 ||
      getsockname(listener, (struct sockaddr *)&tcp_address, &length) != 0)
    return 1;
  pthread_t thread;
  pthread_create(&thread, NULL, client, NULL);
  int connection = accept(listener, NULL, NULL);
  int greeting = tcp_greeting;
  char message = 0;
  if (connection >= 0 && recv(connection, &message, 1, 0) == 1)
    printf("greeting %d payload %d\n", greeting, tcp_payload);
  pthread_join(thread, NULL);
  close(connection);
  close(listener);
  return 0;
}
