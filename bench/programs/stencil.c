// Benchmark: compute-heavy with synchronisation between phases: 2 threads run
// a 5-point Jacobi stencil on a 256x256 grid (heap), each over its half of the
// rows, with a barrier after every sweep (400 sweeps); main prints a checksum.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#define N 256
#define SWEEPS 400
#define THREADS 2
static double *grids[2];
static pthread_barrier_t sweep_done;
static void *relax(void *arg) {
  int id = (int)(size_t)arg;
  int first = 1 + id * ((N - 2) / THREADS), last = first + (N - 2) / THREADS;
  for (int s = 0; s < SWEEPS; s++) {
    const double *in = grids[s & 1];
    double *out = grids[(s + 1) & 1];
    for (int i = first; i < last; i++)
      for (int j = 1; j < N - 1; j++)
        out[i * N + j] = 0.25 * (in[(i - 1) * N + j] + in[(i + 1) * N + j] +
                                 in[i * N + j - 1] + in[i * N + j + 1]);
    pthread_barrier_wait(&sweep_done);
  }
  return NULL;
}
int main(void) {
  for (int g = 0; g < 2; g++) {
    grids[g] = calloc(N * N, sizeof(double));
    for (int j = 0; j < N; j++) grids[g][j] = 100.0; /* hot top edge */
  }
  pthread_barrier_init(&sweep_done, NULL, THREADS);
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, relax, (void *)(size_t)i);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  double total = 0;
  for (int i = 0; i < N * N; i++) total += grids[SWEEPS & 1][i];
  printf("%.3f\n", total);
  free(grids[0]); free(grids[1]);
  return 0;
}
