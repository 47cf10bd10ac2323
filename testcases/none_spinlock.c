// EXPECT: none
// DESCRIPTION: two threads update a shared histogram under a pthread spinlock
#include <pthread.h>
#include <stdio.h>

static pthread_spinlock_t histogram_lock;
static int histogram[8];

static void *record_samples(void *arg) {
  int offset = (int)(long)arg;
  for (int i = 0; i < 400; i++) {
    pthread_spin_lock(&histogram_lock);
    histogram[(i + offset) % 8]++;
    pthread_spin_unlock(&histogram_lock);
  }
  return NULL;
}

int main(void) {
  pthread_spin_init(&histogram_lock, PTHREAD_PROCESS_PRIVATE);
  pthread_t workers[2];
  for (long i = 0; i < 2; i++)
    pthread_create(&workers[i], NULL, record_samples, (void *)i);
  for (int i = 0; i < 2; i++)
    pthread_join(workers[i], NULL);
  pthread_spin_destroy(&histogram_lock);
  int total = 0;
  for (int i = 0; i < 8; i++)
    total += histogram[i];
  printf("total %d\n", total);
  return total == 800 ? 0 : 1;
}
