// EXPECT: none
// SCHEDULES: 4
// DESCRIPTION: two threads update a 512-bucket table under 96 heap-allocated stripe mutexes (more locks than the runtime keeps at hand, so lookups by address go through its cache and its table alike); the stripes are then destroyed and freed, and the same memory is allocated again as the next generation's stripes and once as semaphores: every update is under its bucket's stripe and the generations are ordered by joins, so nothing races
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

#define STRIPES 96
#define BUCKETS 512
#define ROUNDS 3

long table[BUCKETS];
pthread_mutex_t *stripes;

static void *update(void *arg) {
  unsigned x = (unsigned)(long)arg * 2654435761u + 1;
  for (int i = 0; i < 400; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    unsigned b = x % BUCKETS;
    pthread_mutex_t *m = &stripes[b % STRIPES];
    pthread_mutex_lock(m);
    table[b]++;
    pthread_mutex_unlock(m);
  }
  return NULL;
}

int main(void) {
  for (int round = 0; round < ROUNDS; round++) {
    stripes = malloc(STRIPES * sizeof *stripes);
    for (int i = 0; i < STRIPES; i++)
      pthread_mutex_init(&stripes[i], NULL);
    pthread_t one, two;
    pthread_create(&one, NULL, update, (void *)1L);
    pthread_create(&two, NULL, update, (void *)2L);
    pthread_join(one, NULL);
    pthread_join(two, NULL);
    for (int i = 0; i < STRIPES; i++)
      pthread_mutex_destroy(&stripes[i]);
    free(stripes);
    /* the same memory as other objects for a while */
    sem_t *sems = malloc(STRIPES * sizeof(pthread_mutex_t));
    int n = (int)(STRIPES * sizeof(pthread_mutex_t) / sizeof(sem_t));
    for (int i = 0; i < n; i++) {
      sem_init(&sems[i], 0, 1);
      sem_wait(&sems[i]);
      sem_post(&sems[i]);
      sem_destroy(&sems[i]);
    }
    free(sems);
  }
  long total = 0;
  for (int b = 0; b < BUCKETS; b++)
    total += table[b];
  printf("%ld\n", total);
  return total == 2L * 400 * ROUNDS ? 0 : 1;
}
