// EXPECT: race
// DESCRIPTION: main prints a global status string with printf("%s") while a worker overwrites it with strcpy and no synchronisation; printf reads the string argument up to its NUL (at -O2 with the format's precision or not, and through __printf_chk in a fortified build), so the read races with the copy
// VARIABLE: job_status
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char job_status[32] = "queued";

static void *worker(void *unused) {
  (void)unused;
  strcpy(job_status, "running"); // SITE
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  printf("job %d is %s\n", 1, job_status); // SITE
  pthread_join(thread, NULL);
  return 0;
}
