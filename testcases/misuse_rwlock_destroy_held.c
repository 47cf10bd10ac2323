// EXPECT: misuse
// DESCRIPTION: main destroys an rwlock while a reader still holds it for reading
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static sem_t reading, done;
static int table[4];

static void *reader(void *unused) {
  (void)unused;
  pthread_rwlock_rdlock(&table_lock);
  int sum = table[0] + table[3];
  sem_post(&reading);
  sem_wait(&done);
  pthread_rwlock_unlock(&table_lock);
  return (void *)(long)sum;
}

int main(void) {
  sem_init(&reading, 0, 0);
  sem_init(&done, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  sem_wait(&reading);
  int error = pthread_rwlock_destroy(&table_lock); // SITE
  sem_post(&done);
  pthread_join(t, NULL);
  printf("destroy: %d\n", error != 0);
  return 0;
}
