// EXPECT: race
// DESCRIPTION: a worker writes to a pipe's write end while main dup2()s /dev/null onto that same descriptor number, unordered: whether the byte goes to the pipe or to /dev/null depends on the interleaving; dup2 onto an open descriptor closes it, a write of the descriptor, racing with the worker's use of it
// SCHEDULES: 4
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int log_fds[2];

static void *log_line(void *unused) {
  (void)unused;
  char line = 'x';
  ssize_t n = write(log_fds[1], &line, 1); // SITE
  (void)n;
  return NULL;
}

int main(void) {
  int null_fd = open("/dev/null", O_WRONLY);
  if (null_fd < 0 || pipe(log_fds) != 0)
    return 1;
  pthread_t logger;
  pthread_create(&logger, NULL, log_line, NULL);
  dup2(null_fd, log_fds[1]); // SITE
  pthread_join(logger, NULL);
  close(log_fds[0]);
  close(log_fds[1]);
  close(null_fd);
  puts("done");
  return 0;
}
