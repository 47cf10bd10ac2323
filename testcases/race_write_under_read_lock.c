// EXPECT: race
// DESCRIPTION: readers holding a pthread rwlock in shared (read) mode update a statistics field; a read lock does not exclude other readers
// VARIABLE: lookup_count
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static int table[32];
long lookup_count; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void *look_up(void *arg) {
  long found = 0;
  for (int i = 0; i < 50; i++) {
    pthread_rwlock_rdlock(&table_lock);
    found += table[(i + (int)(long)arg) % 32];
    lookup_count++; // SITE
    pthread_rwlock_unlock(&table_lock);
  }
  return (void *)found;
}

int main(void) {
  for (int i = 0; i < 32; i++)
    table[i] = i;
  pthread_t readers[2];
  for (long i = 0; i < 2; i++)
    pthread_create(&readers[i], NULL, look_up, (void *)i);
  for (int i = 0; i < 2; i++)
    pthread_join(readers[i], NULL);
  printf("lookups %ld\n", lookup_count);
  return 0;
}
