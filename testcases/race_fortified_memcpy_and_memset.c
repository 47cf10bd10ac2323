// EXPECT: race
// DESCRIPTION: built with _FORTIFY_SOURCE=2, as distributions build their packages: a memcpy or memset into a buffer whose size the compiler knows, with a length known only at run time, becomes a call of glibc's __memcpy_chk / __memset_chk instead of the intrinsic the plugin instruments. One thread copies a message into a global buffer while main clears it with no synchronisation: the two calls race. (At -O0 glibc does not fortify, and the plain intrinsics race the same way.)
// VARIABLE: outbox
#define _FORTIFY_SOURCE 2
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char outbox[64];
size_t message_length; /* set at run time: not a constant the compiler folds */

static void *writer(void *unused) {
  (void)unused;
  memcpy(outbox, "hello, world", message_length); // SITE
  return NULL;
}

int main(int argc, char **argv) {
  (void)argv;
  message_length = argc > 5 ? 13 : 12;
  pthread_t thread;
  pthread_create(&thread, NULL, writer, NULL);
  memset(outbox, 0, message_length); // SITE
  pthread_join(thread, NULL);
  printf("done\n");
  return 0;
}
