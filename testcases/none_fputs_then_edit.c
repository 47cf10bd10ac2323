// EXPECT: none
// DESCRIPTION: a logger thread writes a global line buffer with fputs and posts a semaphore; an editor waits for it before changing the buffer, while a third thread logs its own line to the same stream at any time. fputs reads the caller's buffer, ordered before the edit by the semaphore; two fputs calls on one stream are locked inside libc: no race (twin of race_fputs_of_buffer_being_written)
// SCHEDULES: 20
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

char log_line[32] = "status: ok\n";
static const char other_line[] = "other: ok\n";
static FILE *log_file;
static sem_t logged;

static void *logger(void *unused) {
  (void)unused;
  fputs(log_line, log_file);
  sem_post(&logged);
  return NULL;
}

static void *editor(void *unused) {
  (void)unused;
  sem_wait(&logged);
  log_line[8] = 'n';
  return NULL;
}

static void *other_logger(void *unused) {
  (void)unused;
  fputs(other_line, log_file);
  return NULL;
}

int main(void) {
  log_file = fopen("/dev/null", "w");
  if (!log_file)
    return 1;
  sem_init(&logged, 0, 0);
  pthread_t threads[3];
  pthread_create(&threads[0], NULL, logger, NULL);
  pthread_create(&threads[1], NULL, editor, NULL);
  pthread_create(&threads[2], NULL, other_logger, NULL);
  for (int i = 0; i < 3; i++)
    pthread_join(threads[i], NULL);
  fclose(log_file);
  puts("logged");
  return 0;
}
