// EXPECT: race
// DESCRIPTION: main reads a line from a pipe with getline into a global line buffer while another thread peeks at the buffer pointer and its first byte with no synchronisation; getline writes the pointer, the capacity and the bytes it returns (at -O2 stdio.h turns getline into a call of __getdelim, intercepted as well), so both reads race with it
// VARIABLE: current_line
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

char *current_line;
size_t current_capacity;
int first_byte_seen;

static void *peek(void *unused) {
  (void)unused;
  char *seen = current_line; // SITE
  if (seen)
    first_byte_seen = seen[0]; // SITE
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
  pthread_t peeker;
  pthread_create(&peeker, NULL, peek, NULL);
  ssize_t length = getline(&current_line, &current_capacity, input); // SITE
  pthread_join(peeker, NULL);
  printf("%zd\n", length);
  free(current_line);
  fclose(input);
  return 0;
}
