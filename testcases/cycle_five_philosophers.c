// EXPECT: lock-order-cycle
// DESCRIPTION: dining philosophers, 5 threads: philosopher i takes fork i then fork (i+1) mod 5, so the last one closes a cycle of 5 locks
// SCHEDULES: 2
#include <pthread.h>
#include <stdio.h>

enum { kPhilosophers = 5, kMeals = 3 };

pthread_mutex_t forks[kPhilosophers];
int meals_eaten[kPhilosophers];

static void *dine(void *arg) {
  int seat = (int)(long)arg;
  int left = seat, right = (seat + 1) % kPhilosophers;
  for (int meal = 0; meal < kMeals; meal++) {
    pthread_mutex_lock(&forks[left]); // SITE
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
  printf("philosopher 0 ate %d meals\n", meals_eaten[0]);
  return 0;
}
