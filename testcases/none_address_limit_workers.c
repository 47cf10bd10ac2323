// EXPECT: none
// DESCRIPTION: a service caps its own address space at 512 MiB (RLIMIT_AS), then starts workers that count requests into a shared total under a mutex; the cap is the program's budget, so the workers must still start under racecheck, and the locked increments do not race
// SCHEDULES: 4
#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>

long requests_served;
static pthread_mutex_t served_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&served_lock);
  requests_served++;
  pthread_mutex_unlock(&served_lock);
  return NULL;
}

int main(void) {
  struct rlimit cap = {512ul << 20, 512ul << 20};
  if (setrlimit(RLIMIT_AS, &cap) != 0)
    perror("setrlimit");
  pthread_t workers[3];
  for (int i = 0; i < 3; i++)
    if (pthread_create(&workers[i], NULL, worker, NULL) != 0)
      return 1;
  for (int i = 0; i < 3; i++)
    pthread_join(workers[i], NULL);
  printf("served %ld\n", requests_served);
  return 0;
}
