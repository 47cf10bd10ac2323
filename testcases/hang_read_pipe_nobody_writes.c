// EXPECT: hang
// DESCRIPTION: a thread reads a pipe nobody ever writes (the main thread keeps the write end open and joins it), another waits for a line on a second such pipe with fgets (libc's own read); every thread is blocked in the kernel or waits for one that is, so the program never ends natively: the watchdog must end the run after its bound with a hang naming both reads
// OPTIONS: watchdog_ms=300
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int fds[2], line_fds[2];
static char byte;

static void *reader(void *unused) {
  (void)unused;
  if (read(fds[0], &byte, 1) != 1)  // SITE
    return NULL;
  return NULL;
}

static void *line_reader(void *unused) {
  (void)unused;
  FILE *in = fdopen(line_fds[0], "r");
  char line[64];
  if (fgets(line, sizeof line, in))  // SITE
    byte = line[0];
  return NULL;
}

int main(void) {
  if (pipe(fds) != 0 || pipe(line_fds) != 0) return 1;
  pthread_t threads[2];
  pthread_create(&threads[0], NULL, reader, NULL);
  pthread_create(&threads[1], NULL, line_reader, NULL);
  pthread_join(threads[0], NULL);
  pthread_join(threads[1], NULL);
  printf("byte: %d\n", byte);
  return 0;
}
