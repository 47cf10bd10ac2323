// EXPECT: race
// DESCRIPTION: main duplicates a pipe's write end with fcntl(F_DUPFD_CLOEXEC), then closes the duplicate while a worker writes through it, unordered: a race on the duplicate descriptor, named with the fcntl call that created it
// SCHEDULES: 4
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int dup_source_fds[2];
int duplicate_fd;

static void *produce(void *unused) {
  (void)unused;
  char byte = 'x';
  ssize_t n = write(duplicate_fd, &byte, 1); // SITE
  (void)n;
  return NULL;
}

int main(void) {
  if (pipe(dup_source_fds) != 0)
    return 1;
  duplicate_fd = fcntl(dup_source_fds[1], F_DUPFD_CLOEXEC, 0);
  if (duplicate_fd < 0)
    return 1;
  pthread_t producer;
  pthread_create(&producer, NULL, produce, NULL);
  close(duplicate_fd); // SITE
  pthread_join(producer, NULL);
  close(dup_source_fds[0]);
  close(dup_source_fds[1]);
  puts("done");
  return 0;
}
