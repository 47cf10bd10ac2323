// EXPECT: starvation
// DESCRIPTION: a spin lock whose word counts takers: the greedy thread takes it with fetch_add (it holds the lock when the add found 0, else it undoes its add and retries), the polite thread with a compare-exchange 0 -> 1 and an exponentially growing back-off of yields; the greedy thread re-takes the lock right after each release, so once the polite thread has failed once, every try finds the greedy one inside and it is bypassed by all the greedy thread's remaining rounds. The greedy take is an add that always changes the word: it must still count as the acquisition that bypasses the waiter (bounded: GREEDY_ROUNDS rounds, then the lock is free). The waiter is starved only when it never finds the lock free until the greedy thread is done, about one seed in ten: hence 30 schedules
// SCHEDULES: 30
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#define GREEDY_ROUNDS 400
#define POLITE_ROUNDS 4

atomic_int add_lock_word; /* the number of threads inside or trying */
static atomic_long updates;
static atomic_int greedy_started;
static long ledger[2];

static void greedy_lock(void) {
  while (atomic_fetch_add_explicit(&add_lock_word, 1, memory_order_acquire) != 0) { // SITE
    atomic_fetch_sub_explicit(&add_lock_word, 1, memory_order_relaxed);
    sched_yield();
  }
}

static void polite_lock(void) {
  int backoff = 1;
  int expected = 0;
  while (!atomic_compare_exchange_strong_explicit(&add_lock_word, &expected, 1, // SITE
                                                  memory_order_acquire, memory_order_relaxed)) {
    expected = 0;
    for (int i = 0; i < backoff; i++)
      sched_yield();
    if (backoff < 1024)
      backoff *= 2;
  }
}

static void unlock(void) { atomic_fetch_sub_explicit(&add_lock_word, 1, memory_order_release); }

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
    unlock(); /* and straight back to greedy_lock */
  }
  return NULL;
}

static void *polite(void *unused) {
  (void)unused;
  while (!atomic_load_explicit(&greedy_started, memory_order_relaxed))
    sched_yield();
  for (int i = 0; i < POLITE_ROUNDS; i++) {
    polite_lock();
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
