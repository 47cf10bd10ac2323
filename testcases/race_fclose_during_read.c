// EXPECT: race
// DESCRIPTION: a worker reads the descriptor under a stdio stream while main fcloses the stream, unordered: fclose closes the descriptor (a write of it), racing with the read, reported on the descriptor and the fopen that created it
// SCHEDULES: 4
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int stream_fd;

static void *consume(void *unused) {
  (void)unused;
  char byte;
  ssize_t n = read(stream_fd, &byte, 1); // SITE
  (void)n;
  return NULL;
}

int main(void) {
  FILE *zeros = fopen("/dev/zero", "r");
  if (!zeros)
    return 1;
  stream_fd = fileno(zeros);
  pthread_t consumer;
  pthread_create(&consumer, NULL, consume, NULL);
  fclose(zeros); // SITE
  pthread_join(consumer, NULL);
  puts("done");
  return 0;
}
