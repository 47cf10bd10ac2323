// EXPECT: none
// SCHEDULES: 3
// DESCRIPTION: six threads take neighbouring locks of a ring of six, even threads clockwise and odd ones counter-clockwise (hundreds of lock-order cycles), but only inside a section a binary semaphore lets one thread into at a time: the nested sections never overlap, so no deadlock is possible
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define THREADS 6
#define LOCKS 6

pthread_mutex_t ring[LOCKS];
sem_t gate;
long totals[LOCKS];

static void *worker(void *arg) {
  long i = (long)arg;
  for (int round = 0; round < LOCKS; round++) {
    int first = (int)(i + round) % LOCKS;
    int second = (int)(i % 2 == 0 ? first + 1 : first + LOCKS - 1) % LOCKS;
    sem_wait(&gate);
    pthread_mutex_lock(&ring[first]);
    pthread_mutex_lock(&ring[second]);
    totals[first]++;
    totals[second]--;
    pthread_mutex_unlock(&ring[second]);
    pthread_mutex_unlock(&ring[first]);
    sem_post(&gate);
  }
  return NULL;
}

int main(void) {
  pthread_t threads[THREADS];
  sem_init(&gate, 0, 1);
  for (int i = 0; i < LOCKS; i++)
    pthread_mutex_init(&ring[i], NULL);
  for (long i = 0; i < THREADS; i++)
    pthread_create(&threads[i], NULL, worker, (void *)i);
  for (int i = 0; i < THREADS; i++)
    pthread_join(threads[i], NULL);
  long sum = 0;
  for (int i = 0; i < LOCKS; i++)
    sum += totals[i];
  printf("%ld\n", sum);
  return 0;
}
