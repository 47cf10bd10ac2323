// EXPECT: race
// DESCRIPTION: a status thread prints a shared label with a positional format ("%2$s" names the
// second argument) while a worker rewrites the label with no lock: printf reads the string it is
// given, so the print races with the write. SCHEDULES: 2
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char status_label[32] = "starting";

static void *worker(void *unused) {
  (void)unused;
  strcpy(status_label, "running"); // SITE
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  printf("[%1$d] %2$s (%1$d)\n", 1, status_label); // SITE
  pthread_join(t, NULL);
  return 0;
}
