/* mmap_file.c — a large file mapping read by one thread: maps the file
 * argv[1] read-only and sums it as 64-bit words in a second thread (the
 * main thread joins it). Nothing is shared, so the shadow should stay far
 * below the mapping's size. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const uint64_t *words;
static size_t count;
static uint64_t sum;

static void *reader(void *arg) {
  (void)arg;
  uint64_t s = 0;
  for (size_t i = 0; i < count; i++)
    s += words[i];
  sum = s;
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0)
    return 2;
  void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED)
    return 2;
  words = map;
  count = (size_t)st.st_size / sizeof *words;
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  pthread_join(t, NULL);
  munmap(map, (size_t)st.st_size);
  close(fd);
  printf("%llu\n", (unsigned long long)sum);
  return 0;
}
