// EXPECT: none
// SCHEDULES: 8
// DESCRIPTION: the correct twin of race_lock_ordered_after_long_run: two threads each take one mutex 3,000 times, then the writer stores `result` inside its last critical section and the reader reads it inside its own last section when the writer has not finished: whichever section comes first, the mutex orders the store and the read. No schedule may report anything, however long the run and however rarely the default random walk preempts.
#include <pthread.h>
#include <stdio.h>

enum { kRounds = 3000 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long rounds_done;
static int writer_finished; /* under lock */
static int result;          /* written under lock */
static int observed = -1;

static void *writer(void *unused) {
  (void)unused;
  for (int i = 0; i < kRounds; i++) {
    pthread_mutex_lock(&lock);
    rounds_done++;
    pthread_mutex_unlock(&lock);
  }
  pthread_mutex_lock(&lock);
  result = 42; /* under the lock, like the flag */
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
  if (!writer_finished) /* read in the section: ordered either way */
    observed = result;
  pthread_mutex_unlock(&lock);
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
