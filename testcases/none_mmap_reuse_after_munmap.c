// EXPECT: none
// DESCRIPTION: two threads each map a scratch page, fill it and unmap it, twenty times; the kernel hands the address one thread unmapped to the other's next mmap, and nothing orders the threads, so only seeing mmap and munmap (a fresh mapping has no history) keeps this from looking like a race on the reused address
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>

enum { ROUNDS = 20, PAGE = 4096 };

static void *scratch_rounds(void *arg) {
  long sum = 0;
  for (int round = 0; round < ROUNDS; round++) {
    unsigned char *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
      return NULL;
    for (int i = 0; i < PAGE; i += 512)
      page[i] = (unsigned char)(round + (long)arg);
    for (int i = 0; i < PAGE; i += 512)
      sum += page[i];
    munmap(page, PAGE);
  }
  return (void *)sum;
}

int main(void) {
  pthread_t workers[2];
  for (long i = 0; i < 2; i++)
    pthread_create(&workers[i], NULL, scratch_rounds, (void *)i);
  long total = 0;
  for (int i = 0; i < 2; i++) {
    void *sum;
    pthread_join(workers[i], &sum);
    total += (long)sum;
  }
  printf("total %ld\n", total);
  return total == 2 * 8 * 190 + 8 * 20 ? 0 : 1;
}
