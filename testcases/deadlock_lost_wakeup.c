// EXPECT: deadlock
// DESCRIPTION: lost wake-up: the main thread waits on a condition variable without a predicate; when the worker signals before the main thread waits, the signal is lost and the main thread waits forever (natively too: the bug itself can keep this program from ending)
// SCHEDULES: 6
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t loaded = PTHREAD_COND_INITIALIZER;
static int table[16];

static void *loader(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < 16; i++)
    table[i] = i * i;
  pthread_cond_signal(&loaded); /* no flag: a signal nobody waits for yet is lost */
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, loader, NULL);
  pthread_mutex_lock(&lock);
  pthread_cond_wait(&loaded, &lock); // SITE
  int sum = 0;
  for (int i = 0; i < 16; i++)
    sum += table[i];
  pthread_mutex_unlock(&lock);
  pthread_join(thread, NULL);
  printf("sum of squares: %d\n", sum);
  return 0;
}
