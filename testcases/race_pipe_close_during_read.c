// EXPECT: race
// DESCRIPTION: a worker reads from a pipe while main closes that same read end, unordered: a race on the file descriptor (the read may use the descriptor or find it closed, or a reopened one), reported on "file descriptor N" and where the pipe was created
// SCHEDULES: 4
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int reader_fds[2];

static void *consume(void *unused) {
  (void)unused;
  char token;
  ssize_t n = read(reader_fds[0], &token, 1); // SITE
  (void)n;
  return NULL;
}

int main(void) {
  if (pipe(reader_fds) != 0)
    return 1;
  char token = 'x';
  if (write(reader_fds[1], &token, 1) != 1) /* the read never waits */
    return 1;
  pthread_t consumer;
  pthread_create(&consumer, NULL, consume, NULL);
  close(reader_fds[0]); // SITE
  pthread_join(consumer, NULL);
  close(reader_fds[1]);
  puts("done");
  return 0;
}
