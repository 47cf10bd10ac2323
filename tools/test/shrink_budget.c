// shrink_budget.c - a check-then-act crash that needs a preemption inside its window, and whose
// schedules without the crash end with a long computation: every shrinking candidate that does
// not reproduce costs far more than the run that found the crash, so shrinking meets its time
// budget (shrink_budget_test.py).
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

enum { THREADS = 4, ROUNDS = 20 };

static atomic_int owner, window;

static void *worker(void *arg) {
  int me = (int)(intptr_t)arg;
  for (int round = 0; round < ROUNDS; round++) {
    atomic_fetch_add_explicit(&window, 1, memory_order_relaxed);
  }
  if (atomic_load_explicit(&owner, memory_order_relaxed) == 0) {
    for (int i = 0; i < 4; i++) atomic_fetch_add_explicit(&window, 1, memory_order_relaxed);
    atomic_store_explicit(&owner, me, memory_order_relaxed);
    assert(atomic_load_explicit(&owner, memory_order_relaxed) == me);
  }
  return 0;
}

int main(void) {
  pthread_t threads[THREADS];
  for (int i = 0; i < THREADS; i++)
    pthread_create(&threads[i], 0, worker, (void *)(intptr_t)(i + 1));
  for (int i = 0; i < THREADS; i++) pthread_join(threads[i], 0);
  // Without the crash: a long computation (no shared access, no scheduling point).
  uint64_t x = 1;
  for (uint64_t i = 0; i < 150000000u; i++) x = x * 6364136223846793005u + i;
  printf("%llu\n", (unsigned long long)(x & 1));
  return 0;
}
