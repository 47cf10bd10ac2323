// EXPECT: race
// DESCRIPTION: one thread read()s a message from a pipe into a global buffer while another thread checks the buffer's first byte with no synchronisation; read() writes the bytes it returns into the buffer, so the kernel's store races with the plain load (as ThreadSanitizer's read interceptor reports it). The data is in the pipe before the threads start, so the read never waits
// VARIABLE: inbox
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char inbox[16];
static int pipe_fds[2];
int saw_message; /* external: the load must not be dead */

static void *receiver(void *unused) {
  (void)unused;
  if (read(pipe_fds[0], inbox, sizeof inbox) <= 0) // SITE
    return NULL;
  return NULL;
}

static void *watcher(void *unused) {
  (void)unused;
  saw_message = inbox[0] == 'h'; // SITE
  return NULL;
}

int main(void) {
  if (pipe(pipe_fds) != 0)
    return 1;
  const char message[] = "hello";
  if (write(pipe_fds[1], message, sizeof message) != (long)sizeof message)
    return 1;
  pthread_t threads[2];
  pthread_create(&threads[0], NULL, receiver, NULL);
  pthread_create(&threads[1], NULL, watcher, NULL);
  pthread_join(threads[0], NULL);
  pthread_join(threads[1], NULL);
  printf("%s\n", strcmp(inbox, "hello") == 0 ? "received" : "lost");
  return 0;
}
