// EXPECT: none
// DESCRIPTION: the polite back-off of livelock_polite_backoff.c (two locks taken in opposite orders with lock, trylock and release), but after a failed attempt each thread backs off a random number of yields drawn from its own rand_r stream with a different seed; the symmetry breaks, one thread gets both locks within a few rounds under every fair schedule, lock-step included. The loops give up after 100000 attempts so the program always ends
// SEEDS: 4
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t left = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t right = PTHREAD_MUTEX_INITIALIZER;
static atomic_int started; /* both threads start together */
static long transfers_done;

enum { MAX_ATTEMPTS = 100000 };

/* Takes `first` then tries `second`; on failure releases `first` and waits
 * a random 0..7 yields before the next attempt. */
static int take_both(pthread_mutex_t *first, pthread_mutex_t *second,
                     unsigned *random_state) {
  for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    pthread_mutex_lock(first);
    if (pthread_mutex_trylock(second) == 0)
      return 1;
    pthread_mutex_unlock(first);
    for (int pause = rand_r(random_state) % 8; pause > 0; pause--)
      sched_yield();
  }
  return 0;
}

static void *transfer(void *arg) {
  int forward = arg != NULL;
  unsigned random_state = forward ? 12345u : 67890u;
  pthread_mutex_t *first = forward ? &left : &right;
  pthread_mutex_t *second = forward ? &right : &left;
  while (!atomic_load(&started))
    ;
  if (take_both(first, second, &random_state)) {
    transfers_done++;
    pthread_mutex_unlock(second);
    pthread_mutex_unlock(first);
  }
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, transfer, (void *)1);
  pthread_create(&b, NULL, transfer, NULL);
  atomic_store(&started, 1);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("transfers done: %ld\n", transfers_done);
  return transfers_done == 2 ? 0 : 1;
}
