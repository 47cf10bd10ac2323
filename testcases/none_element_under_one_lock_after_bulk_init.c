// EXPECT: none
// DESCRIPTION: the correct twin of race_element_under_two_locks_after_bulk_init: both workers bump the element of the memset-zeroed table under the same mutex, so every increment is ordered after the other thread's earlier ones, and the direct single-granule check finds the other thread's cells ordered
#include <pthread.h>
#include <stdio.h>
#include <string.h>

long table[64];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker_a(void *unused) {
  (void)unused;
  for (int i = 0; i < 20; i++) {
    pthread_mutex_lock(&lock);
    table[5]++;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

static void *worker_b(void *unused) {
  (void)unused;
  for (int i = 0; i < 20; i++) {
    pthread_mutex_lock(&lock);
    table[5] += 2;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

int main(void) {
  memset(table, 0, sizeof table);
  pthread_t a, b;
  pthread_create(&a, NULL, worker_a, NULL);
  pthread_create(&b, NULL, worker_b, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("table[5] %ld\n", table[5]);
  return 0;
}
