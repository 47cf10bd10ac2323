// EXPECT: none
// DESCRIPTION: 300 workers each take a registration mutex once while the main thread polls the
// count under it, then all wait on one condition variable for jobs; a waiter is overtaken by
// hundreds of threads, each only once, which is a fair lock's bound, not starvation
// SCHEDULES: 10
#include <pthread.h>
#include <stdio.h>

enum { kWorkers = 300, kJobs = 50 };

static pthread_mutex_t registration = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job_ready = PTHREAD_COND_INITIALIZER;
static int registered, pending_jobs, jobs_done, closing;

static void *worker(void *unused) {
  (void)unused;
  pthread_mutex_lock(&registration);
  registered++;
  pthread_mutex_unlock(&registration);
  pthread_mutex_lock(&queue_lock);
  for (;;) {
    while (pending_jobs == 0 && !closing) pthread_cond_wait(&job_ready, &queue_lock);
    if (pending_jobs == 0) break;
    pending_jobs--;
    jobs_done++;
  }
  pthread_mutex_unlock(&queue_lock);
  return NULL;
}

int main(void) {
  pthread_t workers[kWorkers];
  for (int i = 0; i < kWorkers; i++) pthread_create(&workers[i], NULL, worker, NULL);
  for (int all = 0; !all;) {
    pthread_mutex_lock(&registration);
    all = registered == kWorkers;
    pthread_mutex_unlock(&registration);
  }
  for (int j = 0; j < kJobs; j++) {
    pthread_mutex_lock(&queue_lock);
    pending_jobs++;
    pthread_cond_signal(&job_ready);
    pthread_mutex_unlock(&queue_lock);
  }
  pthread_mutex_lock(&queue_lock);
  closing = 1;
  pthread_cond_broadcast(&job_ready);
  pthread_mutex_unlock(&queue_lock);
  for (int i = 0; i < kWorkers; i++) pthread_join(workers[i], NULL);
  printf("%d jobs done by %d workers\n", jobs_done, registered);
  return 0;
}
