// EXPECT: none
// DESCRIPTION: two threads scale adjacent slices of a shared array that meet exactly (one ends at element 254, the other starts at 255) and both read a shared input written before they start; each loop has a constant trip count, so at -O2 it is vectorized and unrolled with its exit test in the middle of the body and checked once, as one box: a box one element too long at either end, or one that also counted the iteration that leaves at the test, would be a false positive here
#include <pthread.h>
#include <stdio.h>

static double input[520], output[520];

static void *scale_low(void *arg) {
  (void)arg;
  for (int i = 1; i < 255; i++)
    output[i] = 0.5 * input[i];
  return NULL;
}

static void *scale_high(void *arg) {
  (void)arg;
  for (int i = 255; i < 509; i++)
    output[i] = 0.25 * input[i];
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
