// EXPECT: starvation
// DESCRIPTION: an unfair test-and-set spin lock: a thread that finds the lock taken backs off with an exponentially growing number of yields before it tries again, and the lock keeps no queue; a greedy thread re-takes it in a tight loop right after each release, so once the other thread has failed once, every try finds the greedy one inside and it is bypassed by all the greedy thread's remaining rounds (bounded: GREEDY_ROUNDS rounds, then the lock is free)
// SCHEDULES: 4
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#define GREEDY_ROUNDS 400
#define POLITE_ROUNDS 4

static atomic_int lock_word; /* 0: free, 1: held */
static atomic_long updates;  /* statistics kept inside the critical section */
static atomic_int greedy_started;
static long ledger[2];

static void tas_lock(void) {
  int backoff = 1;
  while (atomic_exchange_explicit(&lock_word, 1, memory_order_acquire)) { // SITE
    for (int i = 0; i < backoff; i++)
      sched_yield();
    if (backoff < 1024)
      backoff *= 2;
  }
}

static void tas_unlock(void) { atomic_store_explicit(&lock_word, 0, memory_order_release); }

static void record(int who, long amount) {
  ledger[who] += amount;
  atomic_fetch_add_explicit(&updates, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&updates, 1, memory_order_relaxed);
}

static void *greedy(void *unused) {
  (void)unused;
  for (int i = 0; i < GREEDY_ROUNDS; i++) {
    tas_lock();
    atomic_store_explicit(&greedy_started, 1, memory_order_relaxed);
    record(0, i);
    tas_unlock(); /* and straight back to tas_lock */
  }
  return NULL;
}

static void *polite(void *unused) {
  (void)unused;
  while (!atomic_load_explicit(&greedy_started, memory_order_relaxed))
    sched_yield();
  for (int i = 0; i < POLITE_ROUNDS; i++) {
    tas_lock();
    record(1, 1000);
    tas_unlock();
  }
  return NULL;
}

int main(void) {
  pthread_t threads[2];
  pthread_create(&threads[0], NULL, greedy, NULL);
  pthread_create(&threads[1], NULL, polite, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(threads[i], NULL);
  printf("ledger %ld %ld, %ld updates\n", ledger[0], ledger[1], atomic_load(&updates));
  return 0;
}
