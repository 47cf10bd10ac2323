// EXPECT: none
// DESCRIPTION: a worker reads from a pipe while main forks a child that closes its copy of the pipe's read end and exits: the child's descriptor table is its own, which the parent's worker never uses, so the child's close races with nothing
// SCHEDULES: 4
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int fork_fds[2];

static void *consume(void *unused) {
  (void)unused;
  char token;
  if (read(fork_fds[0], &token, 1) != 1)
    return NULL;
  return NULL;
}

int main(void) {
  if (pipe(fork_fds) != 0)
    return 1;
  char token = 'x';
  if (write(fork_fds[1], &token, 1) != 1) /* the read never waits */
    return 1;
  pthread_t consumer;
  pthread_create(&consumer, NULL, consume, NULL);
  sched_yield();
  pid_t child = fork();
  if (child == 0) {
    close(fork_fds[0]);
    _exit(0);
  }
  int status = 0;
  if (child > 0)
    waitpid(child, &status, 0);
  pthread_join(consumer, NULL);
  close(fork_fds[0]);
  close(fork_fds[1]);
  puts("done");
  return 0;
}
