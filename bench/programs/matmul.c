// Benchmark: compute-heavy parallel kernel: 2 threads multiply disjoint row
// blocks of 384x384 double matrices (heap), then main sums the result. Sized
// so that start-up (racecheck's ~6 ms, TSan's ~16 ms) is small beside the run.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#define N 384
#define THREADS 2
static double *a, *b, *c;
static void *rows(void *arg) {
  int id = (int)(size_t)arg;
  for (int i = id * (N / THREADS); i < (id + 1) * (N / THREADS); i++)
    for (int j = 0; j < N; j++) {
      double s = 0;
      for (int k = 0; k < N; k++) s += a[i * N + k] * b[k * N + j];
      c[i * N + j] = s;
    }
  return NULL;
}
int main(void) {
  a = malloc(sizeof(double) * N * N);
  b = malloc(sizeof(double) * N * N);
  c = malloc(sizeof(double) * N * N);
  for (int i = 0; i < N * N; i++) { a[i] = i % 7; b[i] = i % 5; }
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, rows, (void *)(size_t)i);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  double total = 0;
  for (int i = 0; i < N * N; i++) total += c[i];
  printf("%.0f\n", total);
  free(a); free(b); free(c);
  return 0;
}
