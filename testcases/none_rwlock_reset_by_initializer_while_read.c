// EXPECT: none
// DESCRIPTION: each worker keeps a lookup slot in its own stack with a reader-writer lock that it
// resets with a compound literal holding PTHREAD_RWLOCK_INITIALIZER (no pthread_rwlock_init); a
// lookup that gives up early leaves the slot read-locked, and the next job's assignment makes it a
// new, free lock, as glibc sees it (its reader count is in the lock's memory), so the next job's
// write lock is granted at once. A shared counter is under a global mutex. No race, no deadlock:
// racecheck must treat the assignment over a read-held lock as a new lock. SCHEDULES: 8
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

struct slot {
  pthread_rwlock_t lock;
  int key;
};

static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static int lookups_done;

static void *worker(void *arg) {
  int first = *(int *)arg;
  struct slot slot;
  for (int job = first; job < first + 4; job++) {
    slot = (struct slot){PTHREAD_RWLOCK_INITIALIZER, 0};
    assert(pthread_rwlock_wrlock(&slot.lock) == 0);
    slot.key = job;
    pthread_rwlock_unlock(&slot.lock);
    assert(pthread_rwlock_rdlock(&slot.lock) == 0);
    if (job % 2) continue; /* gave up while reading: reset before reuse */
    pthread_rwlock_unlock(&slot.lock);
    pthread_mutex_lock(&done_lock);
    lookups_done++;
    pthread_mutex_unlock(&done_lock);
  }
  pthread_rwlock_unlock(&slot.lock); /* the last job gave up holding it */
  return 0;
}

int main(void) {
  pthread_t threads[2];
  int first[2] = {0, 10};
  for (int i = 0; i < 2; i++) pthread_create(&threads[i], 0, worker, &first[i]);
  for (int i = 0; i < 2; i++) pthread_join(threads[i], 0);
  assert(lookups_done == 4);
  printf("%d lookups\n", lookups_done);
  return 0;
}
