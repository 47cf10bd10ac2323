/* real_time_clock.c — a program that measures its own speed, for
 * virtual_time_test.py: it times a busy loop of about 50 ms of real time and
 * a 1 s sleep with clock_gettime and prints both durations in ms. */
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

volatile uint64_t sink;

int main(void) {
  /* The busy loop's length is measured with the system call itself, which
   * racecheck does not answer: ~50 ms of real time however slow the run. */
  struct timespec start_raw, raw;
  syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &start_raw);
  int64_t start = now_ms();
  do {
    for (int i = 0; i < 1000; i++) sink += (uint64_t)i;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &raw);
  } while ((raw.tv_sec - start_raw.tv_sec) * 1000 + (raw.tv_nsec - start_raw.tv_nsec) / 1000000 <
           50);
  int64_t busy = now_ms() - start;
  start = now_ms();
  sleep(1);
  int64_t slept = now_ms() - start;
  printf("busy %lld ms, slept %lld ms\n", (long long)busy, (long long)slept);
  return 0;
}
