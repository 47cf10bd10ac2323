// EXPECT: none
// DESCRIPTION: correct twin of hang_spin_yield_partner_waits_condvar: a worker spins with sched_yield on an atomic "go" flag; the main thread sets it only after taking a mutex that a third thread holds while it computes for a while (many forced preemptions, no synchronisation). The spinner's only partner is blocked, but the lock holder can still act, so this is no hang however long the spin lasts
// SCHEDULES: 10
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_int go, holding;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long result;

static void *holder(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock);
  atomic_store_explicit(&holding, 1, memory_order_release);
  long sum = 0;
  for (long i = 0; i < 300000; i++)
    sum += (i * 2654435761u) >> 7;
  result = sum;
  pthread_mutex_unlock(&lock);
  return NULL;
}

static void *spinner(void *unused) {
  (void)unused;
  while (!atomic_load_explicit(&go, memory_order_acquire))
    sched_yield();
  return NULL;
}

int main(void) {
  pthread_t h, s;
  pthread_create(&h, NULL, holder, NULL);
  pthread_create(&s, NULL, spinner, NULL);
  while (!atomic_load_explicit(&holding, memory_order_acquire))
    sched_yield();
  pthread_mutex_lock(&lock); /* blocks while the holder computes */
  long value = result;
  pthread_mutex_unlock(&lock);
  atomic_store_explicit(&go, 1, memory_order_release);
  pthread_join(s, NULL);
  pthread_join(h, NULL);
  printf("result: %ld\n", value);
  return 0;
}
