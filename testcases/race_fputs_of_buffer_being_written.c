// EXPECT: race
// DESCRIPTION: one thread logs a global line buffer with fputs while another thread edits the buffer with no synchronisation; fputs reads the string it is given (the FILE is locked inside libc, the caller's buffer is not), so the read races with the store. The log goes to /dev/null so the program's output does not depend on the interleaving
// VARIABLE: log_line
#include <pthread.h>
#include <stdio.h>

char log_line[32] = "status: ok\n";
static FILE *log_file;

static void *logger(void *unused) {
  (void)unused;
  fputs(log_line, log_file); // SITE
  return NULL;
}

static void *editor(void *unused) {
  (void)unused;
  log_line[8] = 'n'; // SITE
  return NULL;
}

int main(void) {
  log_file = fopen("/dev/null", "w");
  if (!log_file)
    return 1;
  pthread_t threads[2];
  pthread_create(&threads[0], NULL, logger, NULL);
  pthread_create(&threads[1], NULL, editor, NULL);
  pthread_join(threads[0], NULL);
  pthread_join(threads[1], NULL);
  fclose(log_file);
  puts("logged");
  return 0;
}
