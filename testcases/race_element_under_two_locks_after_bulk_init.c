// EXPECT: race
// DESCRIPTION: main zeroes a table with memset (whole 64-byte blocks, kept once per block in the shadow), then two workers bump the same element again and again, each under its own mutex; two different locks order nothing, so the increments race. After the first increments the element's granule has cells of its own and each slow-path check takes the direct single-granule path, which must still meet the other thread's cells
#include <pthread.h>
#include <stdio.h>
#include <string.h>

long table[64];
static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;

static void *worker_a(void *unused) {
  (void)unused;
  for (int i = 0; i < 20; i++) {
    pthread_mutex_lock(&lock_a);
    table[5]++; // SITE
    pthread_mutex_unlock(&lock_a);
  }
  return NULL;
}

static void *worker_b(void *unused) {
  (void)unused;
  for (int i = 0; i < 20; i++) {
    pthread_mutex_lock(&lock_b);
    table[5] += 2; // SITE
    pthread_mutex_unlock(&lock_b);
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
