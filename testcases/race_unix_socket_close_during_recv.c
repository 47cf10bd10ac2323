// EXPECT: race
// DESCRIPTION: main accepts a unix-socket connection whose data is already there, then a worker receives on the accepted descriptor while main closes it, unordered: a race on the file descriptor, named with the accept() that created it
// SCHEDULES: 4
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int accepted_fd;

static void *receive(void *unused) {
  (void)unused;
  char message;
  ssize_t n = recv(accepted_fd, &message, 1, MSG_DONTWAIT); // SITE
  (void)n;
  return NULL;
}

int main(void) {
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  snprintf(address.sun_path, sizeof address.sun_path, "/tmp/racecheck-unix-close-%d.sock",
           (int)getpid());
  unlink(address.sun_path);
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  int client = socket(AF_UNIX, SOCK_STREAM, 0);
  if (listener < 0 || client < 0 ||
      bind(listener, (struct sockaddr *)&address, sizeof address) != 0 ||
      listen(listener, 1) != 0 ||
      connect(client, (struct sockaddr *)&address, sizeof address) != 0)
    return 1;
  accepted_fd = accept(listener, NULL, NULL);
  char message = 'x';
  if (accepted_fd < 0 || send(client, &message, 1, 0) != 1)
    return 1;
  pthread_t receiver;
  pthread_create(&receiver, NULL, receive, NULL);
  close(accepted_fd); // SITE
  pthread_join(receiver, NULL);
  close(client);
  close(listener);
  unlink(address.sun_path);
  puts("done");
  return 0;
}
