/* dlclose_race_lib.c — a racecheck-built shared library that races in its
 * own code on its own global (dlclose_library_test.py loads, runs and closes
 * it). */
#include <pthread.h>

int library_counter;

static void *bump(void *unused) {
  (void)unused;
  library_counter++; /* RACE LINE */
  return 0;
}

int library_race(void) {
  pthread_t a, b;
  pthread_create(&a, 0, bump, 0);
  pthread_create(&b, 0, bump, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  return library_counter;
}

int library_counter_now(void) { return library_counter; }
