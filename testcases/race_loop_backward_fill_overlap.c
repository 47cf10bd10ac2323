// EXPECT: race
// DESCRIPTION: one thread fills a shared buffer from its end downwards, another fills an upper part upwards, and the two ranges overlap by ten elements; at -O2 the downward loop is checked once over a box with a negative stride, which must cover exactly the elements it writes
#include <pthread.h>
#include <stdio.h>

enum { kLength = 160 };
int buffer[kLength];

/* Bounds come from the callers, so the loops keep their shape at -O2. */
struct range { int first, last; };

static void *fill_low_part_downwards(void *arg) {
  const struct range r = *(const struct range *)arg;
  for (int i = r.last; i >= r.first; i--)
    buffer[i] = 3 * i + 1; // SITE
  return NULL;
}

static void *fill_high_part_upwards(void *arg) {
  const struct range r = *(const struct range *)arg;
  for (int i = r.first; i <= r.last; i++)
    buffer[i] = -i; // SITE
  return NULL;
}

int main(void) {
  /* The bug: the high part should start at 100. */
  struct range low_part = {0, 99}, high_part = {90, kLength - 1};
  pthread_t low, high;
  pthread_create(&low, NULL, fill_low_part_downwards, &low_part);
  pthread_create(&high, NULL, fill_high_part_upwards, &high_part);
  pthread_join(low, NULL);
  pthread_join(high, NULL);
  printf("joined\n");
  return 0;
}
