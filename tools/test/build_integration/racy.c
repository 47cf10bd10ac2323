/* racy.c — a program with a data race (two threads increment `hits` unlocked): the installed
 * package's racecheck_add_test must fail on it. */
#include <pthread.h>
#include <stdio.h>

static int hits;

static void *count(void *arg) {
  (void)arg;
  hits++;
  return 0;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, count, 0);
  pthread_create(&b, 0, count, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  printf("%d\n", hits);
  return 0;
}
