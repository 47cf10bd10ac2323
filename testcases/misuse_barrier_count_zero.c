// EXPECT: misuse
// DESCRIPTION: a barrier is initialised for a count of 0 threads, computed from an empty worker list (glibc refuses with EINVAL)
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t start_line;

static unsigned workers_requested(int argc) { return (unsigned)(argc - 1); }

int main(int argc, char **argv) {
  (void)argv;
  unsigned n = workers_requested(argc);
  int error = pthread_barrier_init(&start_line, NULL, n); // SITE
  printf("barrier init failed: %d\n", error != 0);
  return 0;
}
