// Benchmark: compute-heavy: 2 threads each hash a private 1 MiB buffer many
// times into a private histogram (function calls + loads + stores), then join.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#define BYTES (1 << 20)
#define ROUNDS 48
struct job { unsigned char *data; unsigned long hist[256]; };
static unsigned mix(unsigned x) { x ^= x >> 13; x *= 0x5bd1e995u; return x ^ (x >> 15); }
static void *work(void *arg) {
  struct job *j = arg;
  for (int r = 0; r < ROUNDS; r++)
    for (int i = 0; i < BYTES; i++) j->hist[mix(j->data[i] + r) & 255]++;
  return NULL;
}
int main(void) {
  struct job jobs[2];
  pthread_t t[2];
  for (int k = 0; k < 2; k++) {
    jobs[k].data = malloc(BYTES);
    for (int i = 0; i < BYTES; i++) jobs[k].data[i] = (unsigned char)(i * 31 + k);
    for (int i = 0; i < 256; i++) jobs[k].hist[i] = 0;
    pthread_create(&t[k], NULL, work, &jobs[k]);
  }
  unsigned long total = 0;
  for (int k = 0; k < 2; k++) {
    pthread_join(t[k], NULL);
    for (int i = 0; i < 256; i++) total += jobs[k].hist[i] * (unsigned long)i;
    free(jobs[k].data);
  }
  printf("%lu\n", total);
  return 0;
}
