// EXPECT: race
// SCHEDULES: 8
// DESCRIPTION: two threads each take one mutex 3,000 times (thousands of scheduling points, far past where the default random walk starts to preempt rarely), then the writer stores `result` without the lock just before its last critical section, and the reader, in its last critical section, looks whether the writer's section came first and reads `result` after its own section only if it did not. When the writer's section comes first the mutex orders nothing that races (the read is skipped); when the reader's comes first the store and the read are unordered: a race that lock-induced happens-before hides in one order of the two final sections. Detection needs the order of those sections to vary across seeds even when the run is long and switches are rare.
// VARIABLE: result
#include <pthread.h>
#include <stdio.h>

enum { kRounds = 3000 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long rounds_done;
static int writer_finished; /* under lock */
static int result;          /* the store is outside the lock: the bug */
static int observed = -1;

static void *writer(void *unused) {
  (void)unused;
  for (int i = 0; i < kRounds; i++) {
    pthread_mutex_lock(&lock);
    rounds_done++;
    pthread_mutex_unlock(&lock);
  }
  result = 42; // SITE
  pthread_mutex_lock(&lock);
  writer_finished = 1;
  pthread_mutex_unlock(&lock);
  return NULL;
}

static void *reader(void *unused) {
  (void)unused;
  for (int i = 0; i < kRounds; i++) {
    pthread_mutex_lock(&lock);
    rounds_done++;
    pthread_mutex_unlock(&lock);
  }
  pthread_mutex_lock(&lock);
  int writer_first = writer_finished;
  pthread_mutex_unlock(&lock);
  if (!writer_first)
    observed = result; // SITE
  return NULL;
}

int main(void) {
  pthread_t w, r;
  pthread_create(&w, NULL, writer, NULL);
  pthread_create(&r, NULL, reader, NULL);
  pthread_join(w, NULL);
  pthread_join(r, NULL);
  printf("rounds %ld, observed %d\n", rounds_done, observed);
  return 0;
}
