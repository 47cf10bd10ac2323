// EXPECT: none
// SCHEDULES: 3
// DESCRIPTION: the program starts a child process (posix_spawnp of `sleep 1`) and loops `while (!child_done) sleep(1)` until its SIGCHLD handler says the child ended. The child may still send a signal or end, so a run waiting for it is not stuck, however long the child takes: no hang, although the watchdog's bound (300 ms) is shorter than the child's second
// OPTIONS: watchdog_ms=300
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile sig_atomic_t child_done;

static void on_child(int sig) {
  (void)sig;
  child_done = 1;
}

int main(void) {
  signal(SIGCHLD, on_child);
  pid_t child;
  char *argv[] = {"sleep", "1", NULL};
  if (posix_spawnp(&child, "sleep", NULL, NULL, argv, environ) != 0) return 1;
  while (!child_done) sleep(1);
  int status;
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return 1;
  puts("child done");
  return 0;
}
