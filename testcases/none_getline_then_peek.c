// EXPECT: none
// DESCRIPTION: the twin of race_getline_while_peeked: main reads a line from a pipe with getline into a global line buffer and only then starts the thread that peeks at the buffer pointer and its first byte; thread creation orders getline's writes (pointer, capacity, the bytes returned) before the peeks: no race
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

char *current_line;
size_t current_capacity;
int first_byte_seen;

static void *peek(void *unused) {
  (void)unused;
  char *seen = current_line;
  if (seen)
    first_byte_seen = seen[0];
  return NULL;
}

int main(void) {
  int fds[2];
  if (pipe(fds) != 0)
    return 1;
  if (write(fds[1], "abc\ndef\n", 8) != 8)
    return 1;
  close(fds[1]);
  FILE *input = fdopen(fds[0], "r");
  ssize_t length = getline(&current_line, &current_capacity, input);
  pthread_t peeker;
  pthread_create(&peeker, NULL, peek, NULL);
  pthread_join(peeker, NULL);
  printf("%zd\n", length);
  free(current_line);
  fclose(input);
  return 0;
}
