// EXPECT: none
// SCHEDULES: 3
// DESCRIPTION: a daemon's main loop, `while (!stop) sleep(1)`, stopped by SIGUSR1 from a process outside the program (a shell started with system() sends it 300 ms later from the background and is no child of the program by then); a second thread waits on a condition variable meanwhile. Only the handler can end the loop, so the run must wait for the signal (really, as long as natively) and end normally when it comes, well within the watchdog's bound: a wait that missed the signal, or a hang reported before it came, fails
// OPTIONS: watchdog_ms=5000
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stopped = PTHREAD_COND_INITIALIZER;
static int stop_seen;

static void on_usr1(int sig) {
  (void)sig;
  stop = 1;
}

static void *reporter(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock);
  while (!stop_seen) pthread_cond_wait(&stopped, &lock);
  pthread_mutex_unlock(&lock);
  puts("stopped");
  return NULL;
}

int main(void) {
  signal(SIGUSR1, on_usr1);
  pthread_t thread;
  pthread_create(&thread, NULL, reporter, NULL);
  char command[96];
  snprintf(command, sizeof command, "(sleep 0.3; kill -USR1 %d) >/dev/null 2>&1 &", (int)getpid());
  if (system(command) != 0) return 1;
  while (!stop) sleep(1);
  pthread_mutex_lock(&lock);
  stop_seen = 1;
  pthread_cond_signal(&stopped);
  pthread_mutex_unlock(&lock);
  pthread_join(thread, NULL);
  return 0;
}
