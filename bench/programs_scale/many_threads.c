/* many_threads.c — thread-creation scale: creates N short threads (argv[1],
 * default 10000), at most 64 alive at a time, each adding to a counter under
 * a mutex. Per-thread cost should not grow with N. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *work(void *arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  counter++;
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10000;
  enum { kBatch = 64 };
  pthread_t threads[kBatch];
  for (long done = 0; done < n;) {
    int batch = n - done < kBatch ? (int)(n - done) : kBatch;
    for (int i = 0; i < batch; i++)
      pthread_create(&threads[i], NULL, work, NULL);
    for (int i = 0; i < batch; i++)
      pthread_join(threads[i], NULL);
    done += batch;
  }
  printf("%ld\n", counter);
  return counter == n ? 0 : 1;
}
