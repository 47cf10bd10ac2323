// EXPECT: misuse
// DESCRIPTION: main takes the log lock, then an error path calls exit() without releasing it
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int lines;

static void *logger(void *unused) {
  (void)unused;
  pthread_mutex_lock(&log_lock);
  lines++;
  pthread_mutex_unlock(&log_lock);
  return NULL;
}

int main(int argc, char **argv) {
  (void)argv;
  pthread_t t;
  pthread_create(&t, NULL, logger, NULL);
  pthread_join(t, NULL);
  pthread_mutex_lock(&log_lock); // SITE
  printf("lines %d\n", lines);
  if (argc < 5)
    exit(0); /* the lock is still held */
  pthread_mutex_unlock(&log_lock);
  return 0;
}
