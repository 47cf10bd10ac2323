// EXPECT: race
// DESCRIPTION: the program forks a worker process whose two threads add to a global counter without a lock; the parent itself is race-free and only waits for the child, so the race exists only in the forked child, whose findings must reach the run's results (marked process 1)
// VARIABLE: jobs_done
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

long jobs_done;

static void *run_jobs(void *unused) {
  (void)unused;
  for (int i = 0; i < 50; i++)
    jobs_done++; // SITE
  return NULL;
}

static int worker_process(void) {
  pthread_t workers[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&workers[i], NULL, run_jobs, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(workers[i], NULL);
  return 0;
}

int main(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0)
    _exit(worker_process());
  int status = 0;
  waitpid(pid, &status, 0);
  printf("worker exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
