// EXPECT: none
// DESCRIPTION: the consumer reads `payload` only when its acquire load of `ready` saw the producer's release store, which comes after the write of `payload`; the read is ordered whenever it happens. At -O2 LLVM would speculate the guarded load above its condition (a load of a global is safe to execute) and turn the `if` into a select, an unconditional read that races with the producer's write: the compiler's race, not the program's. racecheck marks functions sanitize_thread, as -fsanitize=thread does, so the load stays under its condition
// SCHEDULES: 20
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

int payload;
atomic_int ready;
int seen;

static int read_if_ready(void) {
  int value = 0;
  if (atomic_load_explicit(&ready, memory_order_acquire))
    value = payload;
  return value;
}

static void *consumer(void *unused) {
  (void)unused;
  seen = read_if_ready();
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, consumer, NULL);
  payload = 42;
  atomic_store_explicit(&ready, 1, memory_order_release);
  pthread_join(thread, NULL);
  printf("%s\n", seen == 0 || seen == 42 ? "ok" : "torn");
  return 0;
}
