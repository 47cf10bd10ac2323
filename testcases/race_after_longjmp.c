// EXPECT: race
// DESCRIPTION: main leaves three nested instrumented calls by longjmp 100,000 times (the exits of the skipped frames never run), then races with a worker on two globals: on shared_total in the function the longjmps land in, on shared_count in a function it calls. The reports' stacks must be the real few frames, not 300,000 skipped ones.
// VARIABLE: shared_total
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>

#define JUMPS 100000

long shared_total;
long shared_count;
static jmp_buf landing;
static volatile int sink;

__attribute__((noinline)) static void innermost(int i) {
  sink = i;
  longjmp(landing, 1);
}

__attribute__((noinline)) static void middle(int i) {
  innermost(i);
  sink = -1;
}

__attribute__((noinline)) static void outer(int i) {
  middle(i);
  sink = -2;
}

static void *worker(void *arg) {
  shared_total += 1; // SITE
  shared_count += 1; // SITE
  return arg;
}

__attribute__((noinline)) static void record_total(long n) {
  shared_count += n; // SITE
}

__attribute__((noinline)) static long jump_many(void) {
  volatile long landed = 0;
  for (volatile int i = 0; i < JUMPS; i++)
    if (setjmp(landing) == 0)
      outer(i);
    else
      landed++;
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  shared_total += landed; // SITE
  record_total(1);
  pthread_join(t, 0);
  return landed;
}

int main(void) {
  long landed = jump_many();
  printf("%ld landed\n", landed);
  return 0;
}
