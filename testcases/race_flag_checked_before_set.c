// EXPECT: race
// DESCRIPTION: the worker hands main a token, then after twenty yields records with a plain store that it has shut down; main, once it has the token, asserts the worker has not shut down yet. The store and the check race: random and PCT schedules run main's check first (the race is reported, the assertion holds), because the worker yields twenty times in between. Only the reversed order, which the race-directed second phase of `racecheck run --schedules` forces, fails the assertion (a crash finding; tools.race_directed checks it).
// SEEDS: 4
#include <assert.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t token;
int worker_shut_down; /* external linkage: -O2 cannot fold it away */

static void *worker(void *unused) {
  (void)unused;
  sem_post(&token);
  for (int i = 0; i < 20; i++)
    sched_yield();
  worker_shut_down = 1; // SITE
  return NULL;
}

int main(void) {
  sem_init(&token, 0, 0);
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  sem_wait(&token);
  assert(worker_shut_down == 0); // SITE
  pthread_join(thread, NULL);
  puts("the worker was still running when main checked");
  return 0;
}
