// EXPECT: misuse
// DESCRIPTION: the twin of none_rwlock_reset_by_initializer_while_read: main re-initialises with
// pthread_rwlock_init a reader-writer lock that a worker still holds for reading (Helgrind's
// "re-init of a lock in use"); the worker then unlocks a lock that no longer knows it (unlock of a lock not held). SCHEDULES: 4
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static sem_t reading, reset_done;
static int table_size = 4;

static void *reader(void *unused) {
  (void)unused;
  pthread_rwlock_rdlock(&table_lock);
  int size = table_size;
  sem_post(&reading);
  sem_wait(&reset_done);
  pthread_rwlock_unlock(&table_lock); // SITE
  return (void *)(long)size;
}

int main(void) {
  sem_init(&reading, 0, 0);
  sem_init(&reset_done, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  sem_wait(&reading);
  pthread_rwlock_init(&table_lock, NULL); // SITE
  sem_post(&reset_done);
  pthread_join(t, NULL);
  printf("reset\n");
  return 0;
}
