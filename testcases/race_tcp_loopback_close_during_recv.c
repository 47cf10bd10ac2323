// EXPECT: race
// DESCRIPTION: main accepts a loopback TCP connection (127.0.0.1, port 0) whose byte is already sent, then a worker receives on the accepted descriptor while main closes it, unordered: a race on the file descriptor, named with the accept() that created it
// SCHEDULES: 4
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int tcp_accepted_fd;

static void *receive(void *unused) {
  (void)unused;
  char message;
  ssize_t n = recv(tcp_accepted_fd, &message, 1, MSG_DONTWAIT); // SITE
  (void)n;
  return NULL;
}

int main(void) {
  struct sockaddr_in address = {.sin_family = AF_INET};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  if (listener < 0 || client < 0 ||
      bind(listener, (struct sockaddr *)&address, sizeof address) != 0 ||
      listen(listener, 1) != 0 ||
      getsockname(listener, (struct sockaddr *)&address, &length) != 0 ||
      connect(client, (struct sockaddr *)&address, sizeof address) != 0)
    return 1;
  tcp_accepted_fd = accept(listener, NULL, NULL);
  char message = 'x';
  if (tcp_accepted_fd < 0 || send(client, &message, 1, 0) != 1)
    return 1;
  pthread_t receiver;
  pthread_create(&receiver, NULL, receive, NULL);
  close(tcp_accepted_fd); // SITE
  pthread_join(receiver, NULL);
  close(client);
  close(listener);
  puts("done");
  return 0;
}
