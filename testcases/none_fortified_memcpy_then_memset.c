// EXPECT: none
// DESCRIPTION: the twin of race_fortified_memcpy_and_memset: built with _FORTIFY_SOURCE=2, one thread copies a message into a global buffer with memcpy (a call of __memcpy_chk: the buffer's size is known, the length is not) and main clears it with memset (__memset_chk) only after joining that thread, so the join orders the two calls: no race
#define _FORTIFY_SOURCE 2
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char outbox[64];
size_t message_length; /* set at run time: not a constant the compiler folds */

static void *writer(void *unused) {
  (void)unused;
  memcpy(outbox, "hello, world", message_length);
  return NULL;
}

int main(int argc, char **argv) {
  (void)argv;
  message_length = argc > 5 ? 13 : 12;
  pthread_t thread;
  pthread_create(&thread, NULL, writer, NULL);
  pthread_join(thread, NULL);
  printf("%.12s\n", outbox);
  memset(outbox, 0, message_length);
  return 0;
}
