// EXPECT: none
// DESCRIPTION: twin of race_beside_cas_spin_shrunk: main spins on a failing compare-exchange for a spin lock that a worker holds across a sched_yield, and a third thread writes the shared global under the same spin lock, so nothing races; the spinning must still give way to the holder (fair layer) in every schedule.
// SCHEDULES: 20
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

atomic_int spin; /* 0: free, 1: held */
int guarded_count;
int last_writer;

static void spin_lock(void) {
  int expected = 0;
  while (!atomic_compare_exchange_weak(&spin, &expected, 1))
    expected = 0;
}

static void spin_unlock(void) { atomic_store(&spin, 0); }

static void *holder(void *unused) {
  (void)unused;
  spin_lock();
  sched_yield(); /* holds the lock across a switch: the others spin */
  guarded_count++;
  last_writer = 1;
  spin_unlock();
  return NULL;
}

static void *bystander(void *unused) {
  (void)unused;
  sched_yield();
  spin_lock();
  last_writer = 2;
  spin_unlock();
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, holder, NULL);
  pthread_create(&b, NULL, bystander, NULL);
  sched_yield();
  spin_lock();
  guarded_count++;
  spin_unlock();
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("%d\n", guarded_count);
  return 0;
}
