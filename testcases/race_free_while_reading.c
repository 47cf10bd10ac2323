// EXPECT: race
// DESCRIPTION: main frees a buffer that a worker may still be reading; free is a write of the whole block, unordered with the worker's read
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *read_settings(void *arg) {
  const int *settings = arg;
  long sum = settings[0]; // SITE
  return (void *)sum;
}

int main(void) {
  int *settings = malloc(16 * sizeof *settings);
  for (int i = 0; i < 16; i++)
    settings[i] = i + 1; /* before the create: ordered */
  pthread_t worker;
  pthread_create(&worker, NULL, read_settings, settings);
  usleep(100); /* a sleep orders nothing */
  free(settings); // SITE
  void *result;
  pthread_join(worker, &result);
  printf("done\n");
  return 0;
}
