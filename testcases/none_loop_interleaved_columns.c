// EXPECT: none
// DESCRIPTION: two threads share loop-heavy work without locks but never touch the same element: each writes every other column of a shared matrix (strided stores), both read a shared input written before they start, each fills the lower triangle of its own matrix (the inner trip count depends on the row) and its own slice of an array downwards; main reads everything after the joins. At -O2 these loops are checked once per nest, so a box that covered one element too many would be a false positive here
#include <pthread.h>
#include <stdio.h>

enum { kSize = 48, kSlice = 100 };
double source[kSize][kSize];
double field[kSize][kSize];
double triangle[2][kSize][kSize];
int slices[2][kSlice];

static void *work(void *arg) {
  int k = (int)(long)arg;
  for (int r = 0; r < kSize; r++)
    for (int c = k; c < kSize; c += 2)
      field[r][c] = 2 * source[r][c] + source[c][r];
  for (int r = 0; r < kSize; r++)
    for (int c = 0; c <= r; c++)
      triangle[k][r][c] = source[r][c] * (k + 1);
  for (int i = kSlice - 1; i >= 0; i--)
    slices[k][i] = i * (k + 2);
  return NULL;
}

int main(void) {
  for (int r = 0; r < kSize; r++)
    for (int c = 0; c < kSize; c++)
      source[r][c] = r - c * 0.25;
  pthread_t t[2];
  for (long k = 0; k < 2; k++)
    pthread_create(&t[k], NULL, work, (void *)k);
  for (int k = 0; k < 2; k++)
    pthread_join(t[k], NULL);
  double total = 0;
  for (int r = 0; r < kSize; r++)
    for (int c = 0; c < kSize; c++)
      total += field[r][c] + triangle[0][r][c] + triangle[1][r][c];
  for (int i = 0; i < kSlice; i++)
    total += slices[0][i] + slices[1][i];
  printf("total %.2f\n", total);
  return 0;
}
