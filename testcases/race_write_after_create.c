// EXPECT: race
// DESCRIPTION: the parent writes a setting after pthread_create while the child reads it; only writes before the create are ordered
// VARIABLE: request_limit
#include <pthread.h>
#include <stdio.h>

int request_limit = 10; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void *read_limit(void *result) {
  *(int *)result = request_limit; // SITE
  return NULL;
}

int main(void) {
  int seen = 0;
  pthread_t reader;
  request_limit = 15; /* before the create: ordered, no race */
  pthread_create(&reader, NULL, read_limit, &seen);
  request_limit = 20; // SITE
  pthread_join(reader, NULL);
  printf("reader saw %d\n", seen);
  return 0;
}
