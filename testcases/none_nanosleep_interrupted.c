// EXPECT: none
// SCHEDULES: 20
// DESCRIPTION: a thread in a one-hour nanosleep is interrupted by main's pthread_kill: its handler runs on it and nanosleep returns -1 with errno EINTR and the time left in rem (checked: close to an hour), as natively; main repeats the signal until the sleeper reports back (under racecheck an hour may also pass: time is no synchronisation, so the sleeper then sleeps again)
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int handled, woke;

static void on_usr1(int sig) {
  (void)sig;
  atomic_store(&handled, 1);
}

static void *sleeper(void *unused) {
  (void)unused;
  struct timespec hour = {3600, 0}, left;
  while (nanosleep(&hour, &left) == 0) /* slept the hour (racecheck may) */
    continue;
  if (errno != EINTR || !atomic_load(&handled) || left.tv_sec < 3500 ||
      left.tv_sec > 3600)
    abort();
  atomic_store(&woke, 1);
  return NULL;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_RESTART; /* nanosleep is interrupted all the same */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  pthread_t t;
  pthread_create(&t, NULL, sleeper, NULL);
  while (!atomic_load(&woke)) { /* again if it came before the sleep */
    pthread_kill(t, SIGUSR1);
    usleep(1000);
  }
  pthread_join(t, NULL);
  printf("woken\n");
  return 0;
}
