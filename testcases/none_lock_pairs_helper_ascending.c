// EXPECT: none
// SCHEDULES: 4
// DESCRIPTION: both threads take pairs of 24 mutexes through one helper, lock_two(first, second), always the lower index first, round after round, and last each calls lock_two(5, 20): every nesting goes from a lower to a higher index, so the lock order is one total order and no cycle exists, however often the helper's two lines nest different locks
#include <pthread.h>
#include <stdio.h>

#define LOCKS 24
#define ROUNDS 20

pthread_mutex_t locks[LOCKS];
long pairs_done[LOCKS];

static void lock_two(int first, int second) {
  pthread_mutex_lock(&locks[first]);
  pthread_mutex_lock(&locks[second]);
  pairs_done[first]++;
  pthread_mutex_unlock(&locks[second]);
  pthread_mutex_unlock(&locks[first]);
}

static void *ascending(void *unused) {
  (void)unused;
  for (int round = 0; round < ROUNDS; round++)
    for (int i = 0; i + 1 < LOCKS; i++)
      lock_two(i, i + 1);
  lock_two(5, 20);
  return NULL;
}

int main(void) {
  for (int i = 0; i < LOCKS; i++)
    pthread_mutex_init(&locks[i], NULL);
  pthread_t one, two;
  pthread_create(&one, NULL, ascending, NULL);
  pthread_create(&two, NULL, ascending, NULL);
  pthread_join(one, NULL);
  pthread_join(two, NULL);
  long total = 0;
  for (int i = 0; i < LOCKS; i++)
    total += pairs_done[i];
  printf("%ld\n", total);
  return 0;
}
