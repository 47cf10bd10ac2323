// EXPECT: race
// DESCRIPTION: one thread stores to a flag atomically, another reads the same flag with a plain load; atomicity needs both sides
// VARIABLE: shutdown_requested
#include <pthread.h>
#include <stdio.h>

int shutdown_requested; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void *request_shutdown(void *unused) {
  (void)unused;
  __atomic_store_n(&shutdown_requested, 1, __ATOMIC_SEQ_CST); /* atomic side: fine on its own */
  return NULL;
}

static void *poll_shutdown(void *result) {
  *(int *)result = shutdown_requested; // SITE
  return NULL;
}

int main(void) {
  int seen = 0;
  pthread_t requester, poller;
  pthread_create(&requester, NULL, request_shutdown, NULL);
  pthread_create(&poller, NULL, poll_shutdown, &seen);
  pthread_join(requester, NULL);
  pthread_join(poller, NULL);
  printf("seen %d\n", seen);
  return 0;
}
