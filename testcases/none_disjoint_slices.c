// EXPECT: none
// DESCRIPTION: threads write disjoint elements of shared arrays (interleaved 4-byte elements and odd-length slices, so neighbours in one 8-byte granule belong to different threads), then join
#include <pthread.h>
#include <stdio.h>

enum { kThreads = 4, kSlice = 5, kBytesPerThread = 3 };

static int interleaved[64];                 /* thread t owns elements i % 2 == t % 2 of its half */
static int sliced[kThreads * kSlice];       /* thread t owns [t*5, t*5+5): boundaries inside granules */
static char bytes[kThreads * kBytesPerThread]; /* thread t owns 3 bytes */

static void *fill_own_elements(void *arg) {
  int self = (int)(long)arg;
  int half = self / 2, parity = self % 2;
  for (int round = 0; round < 10; round++) {
    for (int i = half * 32 + parity; i < half * 32 + 32; i += 2)
      interleaved[i] += i + round;
    for (int i = self * kSlice; i < (self + 1) * kSlice; i++)
      sliced[i] += self;
    for (int i = self * kBytesPerThread; i < (self + 1) * kBytesPerThread; i++)
      bytes[i] = (char)('a' + self + round);
  }
  return NULL;
}

int main(void) {
  pthread_t workers[kThreads];
  for (long i = 0; i < kThreads; i++)
    pthread_create(&workers[i], NULL, fill_own_elements, (void *)i);
  for (int i = 0; i < kThreads; i++)
    pthread_join(workers[i], NULL);
  long sum = 0;
  for (int i = 0; i < 64; i++)
    sum += interleaved[i];
  for (int i = 0; i < kThreads * kSlice; i++)
    sum += sliced[i];
  for (int i = 0; i < kThreads * kBytesPerThread; i++)
    sum += bytes[i];
  printf("sum %ld\n", sum);
  return 0;
}
