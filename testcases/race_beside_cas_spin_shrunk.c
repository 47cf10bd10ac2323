// EXPECT: race
// DESCRIPTION: main spins on a failing compare-exchange for a spin lock that a worker holds across a sched_yield, while a third thread races with that worker on a plain global. The spinning makes the fair layer give the spinner lower priority than both others; the finding's shrunk schedule must still replay (a guided run once kept the spinner going where the fair layer did not offer it, so the shrunk schedule diverged on replay).
// SCHEDULES: 4
// VARIABLE: last_writer
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

atomic_int spin; /* 0: free, 1: held */
int guarded_count;
int last_writer; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void spin_lock(void) {
  int expected = 0;
  while (!atomic_compare_exchange_weak(&spin, &expected, 1)) expected = 0;
}

static void spin_unlock(void) { atomic_store(&spin, 0); }

static void *holder(void *unused) {
  (void)unused;
  spin_lock();
  sched_yield(); /* holds the lock across a switch: the others spin */
  guarded_count++;
  spin_unlock();
  last_writer = 1;  // SITE
  return NULL;
}

static void *bystander(void *unused) {
  (void)unused;
  sched_yield();
  last_writer = 2;  // SITE
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
  printf("%d %d\n", guarded_count, last_writer);
  return 0;
}
