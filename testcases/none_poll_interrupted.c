// EXPECT: none
// SCHEDULES: 20
// DESCRIPTION: a thread in poll() on an empty pipe with no time-out is interrupted by main's pthread_kill (the handler has SA_RESTART, which poll ignores): poll returns -1 with errno EINTR after the handler ran (checked), the thread polls again and then reads the byte main writes once it heard of the interruption
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t handled; /* only the reader's handler and the reader */
static atomic_int interrupted;
static int fds[2];

static void on_usr1(int sig) {
  (void)sig;
  handled = 1;
}

static void *reader(void *unused) {
  (void)unused;
  struct pollfd p = {fds[0], POLLIN, 0};
  int n;
  while ((n = poll(&p, 1, -1)) != 1) {
    if (n != -1 || errno != EINTR || !handled)
      abort(); /* only a handler that already ran may end the poll early */
    atomic_store(&interrupted, 1);
  }
  char byte;
  if (read(fds[0], &byte, 1) != 1 || byte != 'x')
    abort();
  return NULL;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_RESTART; /* poll is never restarted */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  if (pipe(fds) != 0)
    abort();
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  while (!atomic_load(&interrupted)) { /* again if it came before the poll */
    pthread_kill(t, SIGUSR1);
    usleep(1000);
  }
  if (write(fds[1], "x", 1) != 1)
    abort();
  pthread_join(t, NULL);
  printf("polled after EINTR\n");
  return 0;
}
