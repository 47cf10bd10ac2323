// EXPECT: none
// DESCRIPTION: the program forks a worker process whose two threads add to a global counter under a mutex, and the parent waits for it; the forked child runs under its own scheduler and is race-free, so neither process has a finding
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

long jobs_done;
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;

static void *run_jobs(void *unused) {
  (void)unused;
  for (int i = 0; i < 50; i++) {
    pthread_mutex_lock(&jobs_lock);
    jobs_done++;
    pthread_mutex_unlock(&jobs_lock);
  }
  return NULL;
}

static int worker_process(void) {
  pthread_t workers[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&workers[i], NULL, run_jobs, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(workers[i], NULL);
  return jobs_done == 100 ? 0 : 1;
}

int main(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0)
    _exit(worker_process());
  int status = 0;
  waitpid(pid, &status, 0);
  printf("worker exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
