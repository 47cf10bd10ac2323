// EXPECT: none
// DESCRIPTION: a reader thread waits for a pipe with a raw syscall(SYS_read), which the runtime cannot model, while the main thread writes a value into the pipe after storing it in a global; the reader blocks in the kernel, so the writer must get to run; the value is printed after the join
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fds[2];
static long received;

static void *reader(void *unused) {
  (void)unused;
  long value = 0;
  long n = syscall(SYS_read, fds[0], &value, sizeof value);
  if (n == (long)sizeof value) received = value;
  return NULL;
}

int main(void) {
  if (pipe(fds) != 0) return 1;
  pthread_t thread;
  pthread_create(&thread, NULL, reader, NULL);
  long value = 42;
  if (write(fds[1], &value, sizeof value) != (ssize_t)sizeof value) return 1;
  pthread_join(thread, NULL);
  printf("received: %ld\n", received);
  return received == 42 ? 0 : 1;
}
