// EXPECT: none
// DESCRIPTION: one thread read()s a message from a pipe into a global buffer and then posts a semaphore; the other thread waits for the semaphore before it looks at the buffer. read() writes the buffer, but the semaphore orders that write before the other thread's load: no race (twin of race_read_into_buffer_being_read)
// SCHEDULES: 20
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char inbox[16];
static int pipe_fds[2];
int saw_message; /* external: the load must not be dead */
static sem_t delivered;

static void *receiver(void *unused) {
  (void)unused;
  if (read(pipe_fds[0], inbox, sizeof inbox) <= 0)
    inbox[0] = 0;
  sem_post(&delivered);
  return NULL;
}

static void *watcher(void *unused) {
  (void)unused;
  sem_wait(&delivered);
  saw_message = inbox[0] == 'h';
  return NULL;
}

int main(void) {
  if (pipe(pipe_fds) != 0)
    return 1;
  sem_init(&delivered, 0, 0);
  const char message[] = "hello";
  if (write(pipe_fds[1], message, sizeof message) != (long)sizeof message)
    return 1;
  pthread_t threads[2];
  pthread_create(&threads[0], NULL, receiver, NULL);
  pthread_create(&threads[1], NULL, watcher, NULL);
  pthread_join(threads[0], NULL);
  pthread_join(threads[1], NULL);
  printf("%s %d\n", strcmp(inbox, "hello") == 0 ? "received" : "lost",
         saw_message);
  return 0;
}
