// EXPECT: lock-order-cycle
// DESCRIPTION: both threads take pairs of 24 mutexes through one helper, lock_two(first, second), always the lower index first, round after round; only once, after all its rounds, the first thread calls lock_two(20, 5): the same two lines of the helper now nest lock 5 inside lock 20 while the second thread nests 20 inside 5, a cycle that a lock-order record keyed by the requesting line alone (and not the locks held) would miss
#include <pthread.h>
#include <stdio.h>

#define LOCKS 24
#define ROUNDS 20

pthread_mutex_t locks[LOCKS];
long pairs_done[LOCKS];

static void lock_two(int first, int second) {
  pthread_mutex_lock(&locks[first]);  // SITE
  pthread_mutex_lock(&locks[second]); // SITE
  pairs_done[first]++;
  pthread_mutex_unlock(&locks[second]);
  pthread_mutex_unlock(&locks[first]);
}

static void *ascending(void *arg) {
  for (int round = 0; round < ROUNDS; round++)
    for (int i = 0; i + 1 < LOCKS; i++)
      lock_two(i, i + 1);
  if (arg)
    lock_two(20, 5); /* the one reversed pair */
  else
    lock_two(5, 20);
  return NULL;
}

int main(void) {
  for (int i = 0; i < LOCKS; i++)
    pthread_mutex_init(&locks[i], NULL);
  pthread_t one, two;
  pthread_create(&one, NULL, ascending, (void *)1);
  pthread_create(&two, NULL, ascending, NULL);
  pthread_join(one, NULL);
  pthread_join(two, NULL);
  long total = 0;
  for (int i = 0; i < LOCKS; i++)
    total += pairs_done[i];
  printf("%ld\n", total);
  return 0;
}
