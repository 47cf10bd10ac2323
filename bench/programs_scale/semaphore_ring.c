/* semaphore_ring.c — lock-order cycles serialised by a semaphore: N threads
 * (argv[1], default 6) take neighbouring locks of a ring of N, even threads
 * clockwise and odd ones counter-clockwise, inside a section a semaphore of
 * argv[2] permits (default 1) lets them into. With one permit the nested
 * sections never overlap (no deadlock, nothing to report); with two, two
 * neighbours can each hold one lock and wait for the other's (a real
 * potential deadlock). */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

enum { kMaxThreads = 64 };
static int threads_n;
static pthread_mutex_t ring[kMaxThreads];
static sem_t gate;
static long totals[kMaxThreads];

static void *worker(void *arg) {
  long i = (long)arg;
  for (int round = 0; round < threads_n; round++) {
    int first = (int)(i + round) % threads_n;
    int second =
        (int)(i % 2 == 0 ? first + 1 : first + threads_n - 1) % threads_n;
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

int main(int argc, char **argv) {
  threads_n = argc > 1 ? atoi(argv[1]) : 6;
  int permits = argc > 2 ? atoi(argv[2]) : 1;
  if (threads_n < 2 || threads_n > kMaxThreads || permits < 1)
    return 2;
  pthread_t threads[kMaxThreads];
  sem_init(&gate, 0, (unsigned)permits);
  for (int i = 0; i < threads_n; i++)
    pthread_mutex_init(&ring[i], NULL);
  for (long i = 0; i < threads_n; i++)
    pthread_create(&threads[i], NULL, worker, (void *)i);
  for (int i = 0; i < threads_n; i++)
    pthread_join(threads[i], NULL);
  long sum = 0;
  for (int i = 0; i < threads_n; i++)
    sum += totals[i];
  printf("%ld\n", sum);
  return 0;
}
