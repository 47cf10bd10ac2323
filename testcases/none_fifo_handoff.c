// EXPECT: none
// DESCRIPTION: hand-off through a named pipe (a FIFO in a temporary path): a worker fills a plain global, opens the FIFO for writing and writes a byte; main opens it for reading (each open waits for the other end) and reads the byte before the global, so the write happens before the read that returns it and nothing races
// SCHEDULES: 8
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

char fifo_path[64];
int fifo_payload; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void *produce(void *unused) {
  (void)unused;
  fifo_payload = 42;
  int fd = open(fifo_path, O_WRONLY);
  char token = 'x';
  if (fd < 0 || write(fd, &token, 1) != 1)
    return NULL;
  close(fd);
  return NULL;
}

int main(void) {
  snprintf(fifo_path, sizeof fifo_path, "/tmp/racecheck-fifo-%d", (int)getpid());
  unlink(fifo_path);
  if (mkfifo(fifo_path, 0600) != 0)
    return 1;
  pthread_t producer;
  pthread_create(&producer, NULL, produce, NULL);
  int fd = open(fifo_path, O_RDONLY);
  char token = 0;
  if (fd >= 0 && read(fd, &token, 1) == 1)
    printf("payload %d\n", fifo_payload);
  pthread_join(producer, NULL);
  close(fd);
  unlink(fifo_path);
  return 0;
}
