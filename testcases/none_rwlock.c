// EXPECT: none
// DESCRIPTION: three readers under pthread_rwlock_rdlock and one writer under wrlock share a routing table (the readers take the lock 30 times each, 90 in all, below the starvation threshold of 100 bypasses: the default rwlock prefers readers, so readers that keep overlapping really starve the writer, which starvation_reader_preferring_rwlock.c is about)
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t routes_lock = PTHREAD_RWLOCK_INITIALIZER;
static int routes[16];
static int route_version;

static void *update_routes(void *unused) {
  (void)unused;
  for (int round = 0; round < 50; round++) {
    pthread_rwlock_wrlock(&routes_lock);
    for (int i = 0; i < 16; i++)
      routes[i] = round + i;
    route_version++;
    pthread_rwlock_unlock(&routes_lock);
  }
  return NULL;
}

static void *read_routes(void *result) {
  long sum = 0;
  for (int round = 0; round < 30; round++) {
    pthread_rwlock_rdlock(&routes_lock);
    for (int i = 0; i < 16; i++)
      sum += routes[i];
    sum += route_version;
    pthread_rwlock_unlock(&routes_lock);
  }
  *(long *)result = sum;
  return NULL;
}

int main(void) {
  long sums[3] = {0, 0, 0};
  pthread_t writer, readers[3];
  for (int i = 0; i < 3; i++)
    pthread_create(&readers[i], NULL, read_routes, &sums[i]);
  pthread_create(&writer, NULL, update_routes, NULL);
  for (int i = 0; i < 3; i++)
    pthread_join(readers[i], NULL);
  pthread_join(writer, NULL);
  printf("version %d\n", route_version);
  return 0;
}
