// EXPECT: race
// DESCRIPTION: a field of a malloc'd struct is written by a worker while main reads it before joining
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct job {
  int id;
  int progress;
};

static void *run_job(void *arg) {
  struct job *job = arg;
  job->progress = 100; // SITE
  return NULL;
}

int main(void) {
  struct job *job = malloc(sizeof *job);
  job->id = 7; /* before the create: ordered */
  job->progress = 0;
  pthread_t worker;
  pthread_create(&worker, NULL, run_job, job);
  int seen = job->progress; // SITE
  pthread_join(worker, NULL);
  printf("job %d progress seen %d\n", job->id, seen);
  free(job);
  return 0;
}
