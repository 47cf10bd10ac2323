// EXPECT: race
// DESCRIPTION: one thread sums a shared array in a counted loop while another overwrites part of it without a lock; at -O2 the summing loop is checked once before it runs, over the whole array, and the overwrite must still be reported against the loop's read
#include <pthread.h>
#include <stdio.h>

enum { kSamples = 1000 };
long samples[kSamples];
long observed_total;

static void *sum_samples(void *unused) {
  (void)unused;
  long total = 0;
  for (int i = 0; i < kSamples; i++)
    total += samples[i]; // SITE
  observed_total = total;
  return NULL;
}

static void *recalibrate(void *unused) {
  (void)unused;
  for (int i = 400; i < 600; i += 2)
    samples[i] = -samples[i]; // SITE
  return NULL;
}

int main(void) {
  for (int i = 0; i < kSamples; i++)
    samples[i] = i;
  pthread_t reader, writer;
  pthread_create(&reader, NULL, sum_samples, NULL);
  pthread_create(&writer, NULL, recalibrate, NULL);
  pthread_join(reader, NULL);
  pthread_join(writer, NULL);
  printf("joined\n");
  return 0;
}
