// EXPECT: none
// DESCRIPTION: the load of starvation_reader_preferring_rwlock.c (two readers that each keep the read lock until the other has joined, one writer) on a writer-preferring rwlock (PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP): once the writer waits, a new reader waits behind it, the reader inside gives up its hand-over after HANDOVER_SPINS yields and the writer gets the lock
// SCHEDULES: 8
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#define READS 150
#define HANDOVER_SPINS 64

static pthread_rwlock_t table_lock;
static int table[8];
static atomic_int joins;           /* read-lock entries so far */
static atomic_int readers_started;

static void *reader(void *unused) {
  (void)unused;
  long sum = 0;
  atomic_fetch_add(&readers_started, 1);
  for (int i = 0; i < READS; i++) {
    pthread_rwlock_rdlock(&table_lock);
    int me = atomic_fetch_add(&joins, 1);
    sum += table[i % 8];
    /* Hand over: leave only once a later reader is inside, so the table is
     * always being read. */
    for (int spin = 0; spin < HANDOVER_SPINS && atomic_load(&joins) <= me + 1; spin++)
      sched_yield();
    pthread_rwlock_unlock(&table_lock);
  }
  return (void *)sum;
}

static void *writer(void *unused) {
  (void)unused;
  while (atomic_load(&readers_started) < 2)
    sched_yield();
  pthread_rwlock_wrlock(&table_lock);
  for (int i = 0; i < 8; i++)
    table[i] += i;
  pthread_rwlock_unlock(&table_lock);
  return NULL;
}

int main(void) {
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
  pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  pthread_rwlock_init(&table_lock, &attr);
  pthread_rwlockattr_destroy(&attr);
  pthread_t readers[2], writer_thread;
  for (int i = 0; i < 2; i++)
    pthread_create(&readers[i], NULL, reader, NULL);
  pthread_create(&writer_thread, NULL, writer, NULL);
  long total = 0;
  for (int i = 0; i < 2; i++) {
    void *sum;
    pthread_join(readers[i], &sum);
    total += (long)sum;
  }
  pthread_join(writer_thread, NULL);
  pthread_rwlock_destroy(&table_lock);
  int table_sum = 0;
  for (int i = 0; i < 8; i++)
    table_sum += table[i];
  /* the same in every schedule: all reads done, the write seen at the end */
  printf("reads %d, table sum %d, reader sums %s\n", atomic_load(&joins), table_sum,
         total >= 0 ? "ok" : "bad");
  return 0;
}
