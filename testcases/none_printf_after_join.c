// EXPECT: none
// DESCRIPTION: the twin of race_printf_of_string_being_written: main prints the global status string with printf("%s") and formats it with snprintf only after joining the worker that overwrote it with strcpy; the join orders the copy before both reads, and snprintf's writes into a buffer only main uses race with nothing
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char job_status[32] = "queued";
char summary[64];

static void *worker(void *unused) {
  (void)unused;
  strcpy(job_status, "running");
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  pthread_join(thread, NULL);
  printf("job %d is %s\n", 1, job_status);
  snprintf(summary, sizeof summary, "%-8s|%.*s", job_status, 3, job_status);
  puts(summary);
  return 0;
}
