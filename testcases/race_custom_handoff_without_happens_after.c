// EXPECT: race
// DESCRIPTION: the same hand-off through an ignored flag, but the consumer forgets
// racecheck_happens_after: ignoring the flag's accesses orders nothing, so the record read after
// the wait races with the producer's writes and is reported SCHEDULES: 20 VARIABLE: mailbox
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#ifdef __RACECHECK__
#include <racecheck/annotations.h>
#else
#define racecheck_ignore_reads_begin()
#define racecheck_ignore_reads_end()
#define racecheck_ignore_writes_begin()
#define racecheck_ignore_writes_end()
#define racecheck_happens_before(a)
#define racecheck_happens_after(a)
#define racecheck_spin_wait()
#endif

struct record {
  int id;
  long amount;
};

struct record mailbox;
volatile int mailbox_full;

static void *producer(void *arg) {
  (void)arg;
  mailbox = (struct record){7, 1200};  // SITE
  racecheck_happens_before((const void *)&mailbox_full);
  racecheck_ignore_writes_begin();
  mailbox_full = 1;
  racecheck_ignore_writes_end();
  return NULL;
}

static int mailbox_ready(void) {
  racecheck_ignore_reads_begin();
  int full = mailbox_full;
  racecheck_ignore_reads_end();
  return full;
}

int main(void) {
  pthread_t thread;
  if (pthread_create(&thread, NULL, producer, NULL) != 0) return 1;
  while (!mailbox_ready()) {
    racecheck_spin_wait();
    sched_yield();
  }
  struct record got = mailbox;  // SITE
  printf("record %d: %ld\n", got.id, got.amount);
  pthread_join(thread, NULL);
  return 0;
}
