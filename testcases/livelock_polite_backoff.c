// EXPECT: livelock
// DESCRIPTION: two threads each need both locks and take them in opposite orders, politely: lock the first, trylock the second, and on failure release the first and retry at once (no randomised back-off). In lock-step (each thread switched out after each operation) every attempt meets the other thread's and both back off together, forever: a livelock under a fair schedule (the lockstep seeds, seed % 4 == 3). Natively and under most random schedules one thread soon gets ahead; the loops give up after 100000 attempts so the program always ends
// SCHEDULES: 8
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static pthread_mutex_t left = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t right = PTHREAD_MUTEX_INITIALIZER;
static atomic_int started; /* both threads start together */
static long transfers_done;

enum { MAX_ATTEMPTS = 100000 };

/* Takes `first` then tries `second`; backs off by releasing `first`. */
static int take_both(pthread_mutex_t *first, pthread_mutex_t *second) {
  for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    pthread_mutex_lock(first);                 // SITE
    if (pthread_mutex_trylock(second) == 0)    // SITE
      return 1;
    pthread_mutex_unlock(first);               // SITE
  }
  return 0;
}

static void *transfer(void *arg) {
  int forward = arg != NULL;
  pthread_mutex_t *first = forward ? &left : &right;
  pthread_mutex_t *second = forward ? &right : &left;
  while (!atomic_load(&started))
    ;
  if (take_both(first, second)) {
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
  return 0;
}
