// EXPECT: none
// DESCRIPTION: the load of starvation_greedy_tas_spinlock.c (a greedy thread re-taking the lock in a tight loop, another that backs off with an exponentially growing sleep while it is not its turn) on a ticket lock: a thread takes a ticket when it arrives and the lock serves tickets in order, so the greedy thread's next ticket comes after the waiting thread's and it cannot overtake it
// SCHEDULES: 8
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#define GREEDY_ROUNDS 400
#define POLITE_ROUNDS 4

static atomic_uint next_ticket;
static atomic_uint now_serving;
static atomic_long updates;  /* statistics kept inside the critical section */
static atomic_int greedy_started;
static long ledger[2];

static void ticket_lock(void) {
  unsigned my_ticket = atomic_fetch_add_explicit(&next_ticket, 1, memory_order_relaxed);
  long backoff_ns = 1000;
  while (atomic_load_explicit(&now_serving, memory_order_acquire) != my_ticket) {
    struct timespec pause = {0, backoff_ns};
    nanosleep(&pause, NULL);
    if (backoff_ns < 1000000)
      backoff_ns *= 2;
  }
}

static void ticket_unlock(void) {
  atomic_store_explicit(&now_serving, atomic_load_explicit(&now_serving, memory_order_relaxed) + 1,
                        memory_order_release);
}

static void record(int who, long amount) {
  ledger[who] += amount;
  atomic_fetch_add_explicit(&updates, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&updates, 1, memory_order_relaxed);
}

static void *greedy(void *unused) {
  (void)unused;
  for (int i = 0; i < GREEDY_ROUNDS; i++) {
    ticket_lock();
    atomic_store_explicit(&greedy_started, 1, memory_order_relaxed);
    record(0, i);
    ticket_unlock(); /* and straight back to ticket_lock */
  }
  return NULL;
}

static void *polite(void *unused) {
  (void)unused;
  while (!atomic_load_explicit(&greedy_started, memory_order_relaxed))
    sched_yield();
  for (int i = 0; i < POLITE_ROUNDS; i++) {
    ticket_lock();
    record(1, 1000);
    ticket_unlock();
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
