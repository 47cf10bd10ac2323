// EXPECT: none
// DESCRIPTION: a client thread fills one global before connect() and another before send() on a unix stream socket (a temporary path); main reads the first after accept() returned the connection and the second after recv() returned the data: connect happens before that accept, send before that recv, so nothing races
// SCHEDULES: 8
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct sockaddr_un unix_address;
int unix_greeting; /* ordered by connect -> accept */
int unix_payload;  /* ordered by send -> recv */

static void *client(void *unused) {
  (void)unused;
  unix_greeting = 7;
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&unix_address, sizeof unix_address) != 0)
    return NULL;
  unix_payload = 42;
  char message = 'x';
  if (send(fd, &message, 1, 0) != 1)
    return NULL;
  close(fd);
  return NULL;
}

int main(void) {
  unix_address.sun_family = AF_UNIX;
  snprintf(unix_address.sun_path, sizeof unix_address.sun_path, "/tmp/racecheck-unix-%d.sock",
           (int)getpid());
  unlink(unix_address.sun_path);
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  if (listener < 0 || bind(listener, (struct sockaddr *)&unix_address, sizeof unix_address) != 0 ||
      listen(listener, 1) != 0)
    return 1;
  pthread_t thread;
  pthread_create(&thread, NULL, client, NULL);
  int connection = accept(listener, NULL, NULL);
  int greeting = unix_greeting;
  char message = 0;
  if (connection >= 0 && recv(connection, &message, 1, 0) == 1)
    printf("greeting %d payload %d\n", greeting, unix_payload);
  pthread_join(thread, NULL);
  close(connection);
  close(listener);
  unlink(unix_address.sun_path);
  return 0;
}
