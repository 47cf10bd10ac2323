// EXPECT: race
// SCHEDULES: 2
// DESCRIPTION: the program counts in two threads without a lock, then starts an
// instrumented program (itself, in child mode) three ways: system(),
// posix_spawn and fork then execv; each child counts in two threads without a
// lock and exits 7. The children's races join the parent's report (child
// processes 1, 2 and 3 with their program) and each child ends with its own
// status 7, which the parent checks: racecheck's exit code 66 reaching it would
// abort the parent (a crash) VARIABLE: child_hits
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
long parent_hits, child_hits;

static void *parent_work(void *unused) {
  (void)unused;
  parent_hits++;  // SITE
  return NULL;
}

static void *child_work(void *unused) {
  (void)unused;
  child_hits++;  // SITE
  return NULL;
}

static void two_threads(void *(*work)(void *)) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, work, NULL);
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
}

static void expect_seven(int status) {
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 7) abort();
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) {
    two_threads(child_work);
    return 7;
  }
  two_threads(parent_work);
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return 1;
  self[n] = 0;
  char *args[] = {self, "child", NULL};
  fflush(stdout);

  char command[4200];
  snprintf(command, sizeof command, "'%s' child", self);
  expect_seven(system(command));

  pid_t pid;
  int status = 0;
  if (posix_spawn(&pid, self, NULL, NULL, args, environ) != 0) return 1;
  waitpid(pid, &status, 0);
  expect_seven(status);

  pid = fork();
  if (pid == 0) {
    execv(self, args);
    _exit(127);
  }
  waitpid(pid, &status, 0);
  expect_seven(status);
  printf("three children exited with 7\n");
  return 0;
}
