// EXPECT: deadlock
// DESCRIPTION: dining philosophers, 3 threads: philosopher i takes fork i then fork (i+1) mod 3; in the interleavings where every philosopher holds its first fork before any takes its second, all three wait on each other and the program really deadlocks (a 3-thread cycle, not only a lock-order warning); natively each philosopher has eaten before the next one starts, so it finishes
// SCHEDULES: 12
#include <pthread.h>
#include <stdio.h>

enum { kPhilosophers = 3, kMeals = 2 };

pthread_mutex_t forks[kPhilosophers];
int meals_eaten[kPhilosophers];

static void *dine(void *arg) {
  int seat = (int)(long)arg;
  int left = seat, right = (seat + 1) % kPhilosophers;
  for (int meal = 0; meal < kMeals; meal++) {
    pthread_mutex_lock(&forks[left]);
    pthread_mutex_lock(&forks[right]); // SITE
    meals_eaten[seat]++;
    pthread_mutex_unlock(&forks[right]);
    pthread_mutex_unlock(&forks[left]);
  }
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
  printf("the philosophers ate %d, %d and %d meals\n", meals_eaten[0], meals_eaten[1], meals_eaten[2]);
  return 0;
}
