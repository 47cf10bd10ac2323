// EXPECT: misuse
// DESCRIPTION: a semaphore already at SEM_VALUE_MAX is posted once more (glibc refuses with EOVERFLOW)
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t tokens;

static void *refill(void *unused) {
  (void)unused;
  return (void *)(long)sem_post(&tokens); // SITE
}

int main(void) {
  sem_init(&tokens, 0, SEM_VALUE_MAX);
  pthread_t t;
  void *result;
  pthread_create(&t, NULL, refill, NULL);
  pthread_join(t, &result);
  printf("post failed: %d\n", result != NULL);
  return 0;
}
