// EXPECT: race
// DESCRIPTION: one thread write()s a global buffer to a pipe while another thread rewrites the buffer with no synchronisation; write() reads the bytes it is given, so the kernel's load races with the other thread's store (the bytes sent may be old, new or mixed)
// VARIABLE: outbox
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

char outbox[8] = "hello";
static int pipe_fds[2];

static void *sender(void *unused) {
  (void)unused;
  if (write(pipe_fds[1], outbox, sizeof outbox) < 0) // SITE
    return NULL;
  return NULL;
}

static void *editor(void *unused) {
  (void)unused;
  outbox[0] = 'j'; // SITE
  return NULL;
}

int main(void) {
  if (pipe(pipe_fds) != 0)
    return 1;
  pthread_t threads[2];
  pthread_create(&threads[0], NULL, sender, NULL);
  pthread_create(&threads[1], NULL, editor, NULL);
  pthread_join(threads[0], NULL);
  pthread_join(threads[1], NULL);
  char sent[sizeof outbox];
  long n = read(pipe_fds[0], sent, sizeof sent);
  printf("%ld\n", n);
  return 0;
}
