// EXPECT: none
// DESCRIPTION: the same sleep-staggered philosophers (philosopher i sleeps 2*i ms first), but each takes its lower-numbered fork first, so the locks have one global order and no cycle; the sleeps hide nothing: under any order of wake-ups the program neither deadlocks nor races
// SCHEDULES: 20
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

enum { kPhilosophers = 3 };

pthread_mutex_t forks[kPhilosophers];
int meals_eaten[kPhilosophers];
int meals_total;

static void *dine(void *arg) {
  int seat = (int)(long)arg;
  int left = seat, right = (seat + 1) % kPhilosophers;
  int first = left < right ? left : right;
  int second = left < right ? right : left;
  usleep(2000 * seat);
  pthread_mutex_lock(&forks[first]);
  pthread_mutex_lock(&forks[second]);
  meals_eaten[seat]++;
  meals_total++; /* guarded: any two philosophers share a fork */
  pthread_mutex_unlock(&forks[second]);
  pthread_mutex_unlock(&forks[first]);
  return NULL;
}

int main(void) {
  pthread_t philosophers[kPhilosophers];
  for (int i = 0; i < kPhilosophers; i++)
    pthread_mutex_init(&forks[i], NULL);
  for (long i = 0; i < kPhilosophers; i++)
    pthread_create(&philosophers[i], NULL, dine, (void *)i);
  for (int i = 0; i < kPhilosophers; i++)
    pthread_join(philosophers[i], NULL);
  printf("philosophers ate %d meal(s)\n", meals_eaten[0] + meals_eaten[1] + meals_eaten[2]);
  return 0;
}
