// Benchmark: the fd model's cost: 2 threads bounce one byte 5,000 times
// through two pipes; every write releases and every read acquires its
// pipe's clock, and a read whose byte is not there yet waits outside the
// scheduler.
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
enum { ROUNDS = 5000 };
static int ping[2], pong[2];
static void *echo(void *arg) {
  (void)arg;
  char c;
  for (int i = 0; i < ROUNDS; i++) {
    if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1) break;
  }
  return NULL;
}
int main(void) {
  if (pipe(ping) != 0 || pipe(pong) != 0) return 1;
  pthread_t t;
  pthread_create(&t, NULL, echo, NULL);
  char c = 'x';
  for (int i = 0; i < ROUNDS; i++) {
    if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) break;
  }
  pthread_join(t, NULL);
  puts("done");
  return 0;
}
