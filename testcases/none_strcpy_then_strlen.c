// EXPECT: none
// DESCRIPTION: one thread renames a worker with strcpy into a global name buffer and posts a semaphore; the other thread waits for it before measuring the name with strlen. strcpy writes and strlen reads the buffer, ordered by the semaphore: no race (twin of race_strcpy_while_strlen)
// SCHEDULES: 20
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>

char worker_name[32] = "idle";
static const char *volatile new_name = "worker-17";
size_t measured; /* external: the call must not be dead */
static sem_t renamed;

static void *renamer(void *unused) {
  (void)unused;
  strcpy(worker_name, new_name);
  sem_post(&renamed);
  return NULL;
}

static void *measurer(void *unused) {
  (void)unused;
  sem_wait(&renamed);
  measured = strlen(worker_name);
  return NULL;
}

int main(void) {
  sem_init(&renamed, 0, 0);
  pthread_t threads[2];
  pthread_create(&threads[0], NULL, renamer, NULL);
  pthread_create(&threads[1], NULL, measurer, NULL);
  pthread_join(threads[0], NULL);
  pthread_join(threads[1], NULL);
  printf("%s %zu\n", worker_name, measured);
  return 0;
}
