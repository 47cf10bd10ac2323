// EXPECT: none
// DESCRIPTION: the main thread spins on an atomic flag that its partner sets after sleeping 2 ms; the flag's release/acquire orders the payload. A sleep only delays a thread: under racecheck the sleeper may wake at any scheduling point, so the spin ends (it used to be reported as a hang, the sleeper never waking while the spinner could run)
// SCHEDULES: 20
#include <stdatomic.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int payload;
atomic_int ready;

static void *producer(void *unused) {
  (void)unused;
  usleep(2000);
  payload = 42;
  atomic_store_explicit(&ready, 1, memory_order_release);
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, producer, NULL);
  while (!atomic_load_explicit(&ready, memory_order_acquire))
    ;
  int value = payload;
  pthread_join(thread, NULL);
  printf("payload: %d\n", value);
  return 0;
}
