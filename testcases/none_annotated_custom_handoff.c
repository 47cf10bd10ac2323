// EXPECT: none
// DESCRIPTION: a producer hands a record to a consumer through a flag in memory racecheck is told
// to ignore (racecheck_ignore_reads/writes_begin/end around its accesses, as for a flag in device
// or shared memory), and says what the hand-off orders with racecheck_happens_before/after on the
// flag (TSan's AnnotateHappensBefore/After); the record's fields are then ordered, and nothing is
// reported SCHEDULES: 20
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
  mailbox.id = 7;
  mailbox.amount = 1200;
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
  racecheck_happens_after((const void *)&mailbox_full);
  printf("record %d: %ld\n", mailbox.id, mailbox.amount);
  pthread_join(thread, NULL);
  return 0;
}
