// Benchmark: compute-heavy with synchronisation between phases, the simplest
// kind: 2 threads each scale their half of the rows of a 256x256 grid (heap)
// into a second grid, with a barrier after every pass (400 passes). At -O2
// the row loop is vectorized and unrolled with its exit test mid-body.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#define N 256
#define PASSES 400
#define THREADS 2
static double *grids[2];
static pthread_barrier_t pass_done;
static void *scale(void *arg) {
  int id = (int)(size_t)arg;
  int first = 1 + id * ((N - 2) / THREADS), last = first + (N - 2) / THREADS;
  for (int s = 0; s < PASSES; s++) {
    const double *in = grids[s & 1];
    double *out = grids[(s + 1) & 1];
    for (int i = first; i < last; i++)
      for (int j = 1; j < N - 1; j++)
        out[i * N + j] = 0.5 * in[i * N + j] + 1.0;
    pthread_barrier_wait(&pass_done);
  }
  return NULL;
}
int main(void) {
  for (int g = 0; g < 2; g++)
    grids[g] = calloc(N * N, sizeof(double));
  pthread_barrier_init(&pass_done, NULL, THREADS);
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, scale, (void *)(size_t)i);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  double total = 0;
  for (int i = 0; i < N * N; i++) total += grids[PASSES & 1][i];
  printf("%.3f\n", total);
  free(grids[0]); free(grids[1]);
  return 0;
}
