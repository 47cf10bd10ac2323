// EXPECT: lock-order-cycle
// DESCRIPTION: dining philosophers, 3 threads; philosopher i sleeps 2*i ms before taking fork i then fork (i+1) mod 3, so the last one closes a cycle of 3 locks. Natively the sleeps make the deadlock rare, but they only delay the threads (a loaded machine can line them up): racecheck lets a sleeper wake at any scheduling point, finds the cycle and confirms it as a real deadlock
// SCHEDULES: 4
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

enum { kPhilosophers = 3 };

pthread_mutex_t forks[kPhilosophers];
int meals_eaten[kPhilosophers];

static void *dine(void *arg) {
  int seat = (int)(long)arg;
  int left = seat, right = (seat + 1) % kPhilosophers;
  usleep(2000 * seat);
  pthread_mutex_lock(&forks[left]); // SITE
  pthread_mutex_lock(&forks[right]); // SITE
  meals_eaten[seat]++;
  pthread_mutex_unlock(&forks[right]);
  pthread_mutex_unlock(&forks[left]);
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
  printf("philosopher 0 ate %d meal(s)\n", meals_eaten[0]);
  return 0;
}
