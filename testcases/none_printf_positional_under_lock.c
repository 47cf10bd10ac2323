// EXPECT: none
// DESCRIPTION: the twin of race_printf_positional_string: the label is rewritten and printed under
// one mutex, with positional formats whose arguments are named out of order, a width and a
// precision taken from arguments (%1$*2$d, %3$.*2$s) and a %m that takes none. printf's reads are
// ordered by the lock: no race, and racecheck must walk the arguments in their real order
// (reading the wrong argument as a string would crash or report nonsense). SCHEDULES: 4
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char status_label[32] = "starting";
static pthread_mutex_t label_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *unused) {
  (void)unused;
  pthread_mutex_lock(&label_lock);
  strcpy(status_label, "running");
  pthread_mutex_unlock(&label_lock);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  char line[64];
  pthread_mutex_lock(&label_lock);
  printf("[%2$d] %1$s\n", status_label, 7);
  errno = 0;
  snprintf(line, sizeof line, "%1$*2$d|%3$.*2$s|%m", 42, 4, status_label);
  pthread_mutex_unlock(&label_lock);
  pthread_join(t, NULL);
  printf("%s\n", line);
  return 0;
}
