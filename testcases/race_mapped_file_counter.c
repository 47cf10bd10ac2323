// EXPECT: race
// DESCRIPTION: a shared mapping of a memory file (memfd "counters", mapped from file offset 4096) holds counters that two threads increment without a lock; the report names the mapping, the file and the offset, not unknown memory
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static long *counters;

static void *count_events(void *unused) {
  (void)unused;
  for (int i = 0; i < 20; i++)
    counters[1]++; // SITE
  return NULL;
}

int main(void) {
  int fd = memfd_create("counters", 0);
  if (fd < 0 || ftruncate(fd, 8192) != 0)
    return 1;
  counters = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
  if (counters == MAP_FAILED)
    return 1;
  pthread_t workers[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&workers[i], NULL, count_events, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(workers[i], NULL);
  munmap(counters, 4096);
  close(fd);
  puts("done");
  return 0;
}
