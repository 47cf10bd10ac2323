// shadow_cost.c — a microbenchmark of the race check's per-access cost (a
// program, not a test): run it natively and under racecheck and compare.
//
//   shadow_cost lock THREADS VARS ROUNDS
//     each thread ROUNDS times: lock one mutex, increment VARS longs, unlock.
//     Every unlock ends an epoch, so each increment's read and write miss
//     the inline same-epoch test: the slow path of a plain access. With 2
//     threads the cells found are the other thread's (ordered by the lock).
//     ns per slow access = (time at VARS=V - time at VARS=0) / (2 V ROUNDS
//     THREADS); time at VARS=0 / (ROUNDS THREADS) is a lock-unlock pair.
//   shadow_cost atomic THREADS VARS ROUNDS
//     each thread ROUNDS times: a relaxed fetch_add on each of VARS longs.
//
// Prints the seconds the loop took (monotonic clock), nothing else.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_VARS = 4096 };
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long vars[MAX_VARS];
static atomic_long bins[MAX_VARS];
static long nvars, rounds;
static int atomic_mode;

static void *work(void *arg) {
  (void)arg;
  for (long r = 0; r < rounds; r++) {
    if (atomic_mode) {
      for (long k = 0; k < nvars; k++)
        atomic_fetch_add_explicit(&bins[k * 7 % nvars], 1,
                                  memory_order_relaxed);
      continue;
    }
    pthread_mutex_lock(&lock);
    /* (7 k) mod VARS, not k: an affine loop would be checked once as a
     * box, not access by access. VARS must be odd or a power of two. */
    for (long k = 0; k < nvars; k++)
      vars[k * 7 % nvars]++;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: shadow_cost lock|atomic THREADS VARS ROUNDS\n");
    return 2;
  }
  atomic_mode = strcmp(argv[1], "atomic") == 0;
  int threads = atoi(argv[2]);
  nvars = atol(argv[3]);
  rounds = atol(argv[4]);
  if (threads < 1 || threads > 16 || nvars < 0 || nvars > MAX_VARS)
    return 2;
  pthread_t t[16];
  double start = now();
  for (int i = 0; i < threads; i++)
    pthread_create(&t[i], NULL, work, NULL);
  for (int i = 0; i < threads; i++)
    pthread_join(t[i], NULL);
  printf("%.6f\n", now() - start);
  return 0;
}
