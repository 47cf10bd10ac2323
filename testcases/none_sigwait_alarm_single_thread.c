// EXPECT: none
// DESCRIPTION: a single-threaded program blocks SIGALRM, arms a 50 ms timer and waits for it with sigwait; nothing else runs, the kernel ends the wait, and the run must end with it (no watchdog report, no hang)
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

int main(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGALRM);
  sigprocmask(SIG_BLOCK, &set, NULL);
  struct itimerval timer = {{0, 0}, {0, 50000}};
  setitimer(ITIMER_REAL, &timer, NULL);
  int sig = 0;
  if (sigwait(&set, &sig) != 0) return 1;
  printf("got signal %d\n", sig);
  return sig == SIGALRM ? 0 : 1;
}
