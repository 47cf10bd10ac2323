// EXPECT: none
// DESCRIPTION: a worker fills a plain global, then adds 1 to an eventfd counter; main reads the counter (waiting for it) before it reads the global: the eventfd write happens before the read that returns it, so there is no race
// SCHEDULES: 8
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <unistd.h>

int event_fd;
int event_payload; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void *produce(void *unused) {
  (void)unused;
  event_payload = 42;
  uint64_t one = 1;
  if (write(event_fd, &one, sizeof one) != sizeof one)
    return NULL;
  return NULL;
}

int main(void) {
  event_fd = eventfd(0, 0);
  if (event_fd < 0)
    return 1;
  pthread_t producer;
  pthread_create(&producer, NULL, produce, NULL);
  uint64_t count = 0;
  if (read(event_fd, &count, sizeof count) == sizeof count)
    printf("count %d payload %d\n", (int)count, event_payload);
  pthread_join(producer, NULL);
  close(event_fd);
  return 0;
}
