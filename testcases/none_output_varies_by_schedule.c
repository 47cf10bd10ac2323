// EXPECT: none
// DESCRIPTION: a correct work queue whose printed statistics legitimately vary by schedule: four workers take jobs from a mutex-protected counter and the program prints how many jobs each worker took and which worker finished first; the totals are checked and always right, so the exit status is 0 in every schedule and only the output differs (no finding by default; `output-mismatch` with --check-output, see tools/test/output_check_test.py)
// SCHEDULES: 8
#include <pthread.h>
#include <stdio.h>

#define WORKERS 4
#define JOBS 40

struct worker {
  pthread_t thread;
  int id;
  int taken;
};

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static int next_job;
static long job_sum;
static int first_finished = -1;

static void *work(void *arg) {
  struct worker *me = arg;
  for (;;) {
    pthread_mutex_lock(&queue_lock);
    int job = next_job < JOBS ? next_job++ : -1;
    if (job >= 0)
      job_sum += job;
    pthread_mutex_unlock(&queue_lock);
    if (job < 0)
      break;
    me->taken++;
  }
  pthread_mutex_lock(&queue_lock);
  if (first_finished < 0)
    first_finished = me->id;
  pthread_mutex_unlock(&queue_lock);
  return NULL;
}

int main(void) {
  struct worker workers[WORKERS] = {{0}};
  for (int i = 0; i < WORKERS; i++) {
    workers[i].id = i;
    pthread_create(&workers[i].thread, NULL, work, &workers[i]);
  }
  int total = 0;
  for (int i = 0; i < WORKERS; i++) {
    pthread_join(workers[i].thread, NULL);
    printf("worker %d took %d jobs\n", i, workers[i].taken);
    total += workers[i].taken;
  }
  printf("first to finish: worker %d\n", first_finished);
  if (total != JOBS || job_sum != (long)JOBS * (JOBS - 1) / 2) {
    printf("self-check failed: %d jobs, sum %ld\n", total, job_sum);
    return 1;
  }
  return 0;
}
