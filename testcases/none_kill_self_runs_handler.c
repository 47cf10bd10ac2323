// EXPECT: none
// DESCRIPTION: a single-threaded program sends itself SIGUSR1 with kill(getpid(), ...): the handler runs before kill returns, as POSIX promises when the signal is for the caller, and the program checks its flag right after
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig) {
  (void)sig;
  got = 1;
}

int main(void) {
  signal(SIGUSR1, on_usr1);
  kill(getpid(), SIGUSR1);
  if (!got)
    abort(); /* the handler had not run yet */
  printf("handled\n");
  return 0;
}
