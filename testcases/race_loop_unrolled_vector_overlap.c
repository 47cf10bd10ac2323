// EXPECT: race
// DESCRIPTION: two threads scale adjacent slices of a shared array, but the second slice starts one element early, inside the first; each loop has a constant trip count, so at -O2 it is vectorized and unrolled with its exit test in the middle of the body, and it is still checked once, as one box, before it runs: the shared element must be reported at the store
#include <pthread.h>
#include <stdio.h>

static double input[520], output[520];

static void *scale_low(void *arg) {
  (void)arg;
  for (int i = 1; i < 255; i++)
    output[i] = 0.5 * input[i]; // SITE
  return NULL;
}

static void *scale_high(void *arg) {
  (void)arg;
  /* The bug: the slice should start at 255. */
  for (int i = 254; i < 508; i++)
    output[i] = 0.25 * input[i]; // SITE
  return NULL;
}

int main(void) {
  for (int i = 0; i < 520; i++) input[i] = i;
  pthread_t low, high;
  pthread_create(&low, NULL, scale_low, NULL);
  pthread_create(&high, NULL, scale_high, NULL);
  pthread_join(low, NULL);
  pthread_join(high, NULL);
  double total = 0;
  for (int i = 0; i < 520; i++) total += output[i];
  printf("%.2f\n", total);
  return 0;
}
