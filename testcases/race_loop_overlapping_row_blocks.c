// EXPECT: race
// DESCRIPTION: two threads fill row blocks of a shared matrix in a nested loop, but the blocks overlap by one row (an inclusive upper bound); at -O2 each nest is checked once, before it runs, over every element it writes, and the shared row must still be reported at the store
#include <pthread.h>
#include <stdio.h>

enum { kRows = 64, kColumns = 64 };
double grid[kRows][kColumns];

struct block { int first_row, last_row; };

static void *fill_rows(void *arg) {
  const struct block *b = arg;
  for (int r = b->first_row; r <= b->last_row; r++)
    for (int c = 0; c < kColumns; c++)
      grid[r][c] = r * 0.5 + c; // SITE
  return NULL;
}

int main(void) {
  /* The bug: the first block should end at row 31. */
  struct block top = {0, kRows / 2}, bottom = {kRows / 2, kRows - 1};
  pthread_t a, b;
  pthread_create(&a, NULL, fill_rows, &top);
  pthread_create(&b, NULL, fill_rows, &bottom);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  double total = 0;
  for (int r = 0; r < kRows; r++)
    for (int c = 0; c < kColumns; c++)
      total += grid[r][c];
  printf("total %.1f\n", total);
  return 0;
}
