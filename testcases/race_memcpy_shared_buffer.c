// EXPECT: race
// DESCRIPTION: two threads memcpy their messages into one shared global buffer without a lock
// VARIABLE: shared_buffer
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char shared_buffer[64]; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void *store_message(void *arg) {
  const char *message = arg;
  memcpy(shared_buffer, message, strlen(message) + 1); // SITE
  return NULL;
}

int main(void) {
  static const char hello[] = "hello from the first writer";
  static const char bye[] = "goodbye from the second writer";
  pthread_t first, second;
  pthread_create(&first, NULL, store_message, (void *)hello);
  pthread_create(&second, NULL, store_message, (void *)bye);
  pthread_join(first, NULL);
  pthread_join(second, NULL);
  printf("buffer holds %zu bytes\n", strlen(shared_buffer));
  return 0;
}
