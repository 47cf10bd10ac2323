// EXPECT: none
// DESCRIPTION: the twin of starvation_add_taken_spinlock: the same lock word, taken by fetch_add (greedy thread) and by compare-exchange 0 -> 1 (polite thread), with relaxed counters bumped inside; but a thread that fails raises a `waiting` flag and the greedy thread, after each release, yields until the flag is down again, so the polite thread gets in within a bypass or two and no wait is bypassed more than a few times
// SCHEDULES: 30
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#define GREEDY_ROUNDS 400
#define POLITE_ROUNDS 4

atomic_int add_lock_word2; /* the number of threads inside or trying */
static atomic_long updates;
static atomic_int greedy_started;
static atomic_int waiting; /* the polite thread failed to take the lock */
static long ledger[2];

static void greedy_lock(void) {
  while (atomic_fetch_add_explicit(&add_lock_word2, 1, memory_order_acquire) != 0) {
    atomic_fetch_sub_explicit(&add_lock_word2, 1, memory_order_relaxed);
    sched_yield();
  }
}

static void polite_lock(void) {
  int backoff = 1;
  int expected = 0;
  while (!atomic_compare_exchange_strong_explicit(&add_lock_word2, &expected, 1,
                                                  memory_order_acquire, memory_order_relaxed)) {
    expected = 0;
    atomic_store_explicit(&waiting, 1, memory_order_relaxed);
    for (int i = 0; i < backoff; i++)
      sched_yield();
    if (backoff < 1024)
      backoff *= 2;
  }
}

static void unlock(void) { atomic_fetch_sub_explicit(&add_lock_word2, 1, memory_order_release); }

static void record(int who, long amount) {
  ledger[who] += amount;
  atomic_fetch_add_explicit(&updates, 1, memory_order_relaxed);
}

static void *greedy(void *unused) {
  (void)unused;
  for (int i = 0; i < GREEDY_ROUNDS; i++) {
    greedy_lock();
    atomic_store_explicit(&greedy_started, 1, memory_order_relaxed);
    record(0, i);
    unlock();
    while (atomic_load_explicit(&waiting, memory_order_relaxed)) /* let it in */
      sched_yield();
  }
  return NULL;
}

static void *polite(void *unused) {
  (void)unused;
  while (!atomic_load_explicit(&greedy_started, memory_order_relaxed))
    sched_yield();
  for (int i = 0; i < POLITE_ROUNDS; i++) {
    polite_lock();
    atomic_store_explicit(&waiting, 0, memory_order_relaxed);
    record(1, 1000);
    unlock();
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
