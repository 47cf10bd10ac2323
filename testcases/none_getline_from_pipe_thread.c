// EXPECT: none
// DESCRIPTION: a reader thread takes lines from a pipe with getline (libc reads the pipe itself, so no interceptor sees the wait) while the main thread writes them; the runtime must let the writer run while the reader is blocked in the kernel, and the line count is read after the join
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int fds[2];
static int lines_read;

static void *reader(void *unused) {
  (void)unused;
  FILE *in = fdopen(fds[0], "r");
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, in) > 0) lines_read++;
  free(line);
  fclose(in);
  return NULL;
}

int main(void) {
  if (pipe(fds) != 0) return 1;
  pthread_t thread;
  pthread_create(&thread, NULL, reader, NULL);
  for (int i = 0; i < 3; i++) {
    char text[] = "line\n";
    if (write(fds[1], text, sizeof text - 1) != (ssize_t)(sizeof text - 1)) return 1;
  }
  close(fds[1]);
  pthread_join(thread, NULL);
  printf("lines: %d\n", lines_read);
  return lines_read == 3 ? 0 : 1;
}
