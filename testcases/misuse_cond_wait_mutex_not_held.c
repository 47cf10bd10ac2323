// EXPECT: misuse
// DESCRIPTION: a consumer waits on a condition variable without holding its errorcheck mutex (glibc returns EPERM at once, so it gives up after three attempts)
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t queue_lock;
static pthread_cond_t queue_nonempty = PTHREAD_COND_INITIALIZER;
static int queued;

static void *consume(void *unused) {
  (void)unused;
  int attempts = 0;
  for (;;) {
    pthread_mutex_lock(&queue_lock);
    int ready = queued;
    pthread_mutex_unlock(&queue_lock);
    if (ready || ++attempts > 3)
      break;
    pthread_cond_wait(&queue_nonempty, &queue_lock); // SITE
  }
  return NULL;
}

int main(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&queue_lock, &attr);
  pthread_t t;
  pthread_create(&t, NULL, consume, NULL);
  pthread_join(t, NULL);
  pthread_mutex_lock(&queue_lock);
  queued = 1;
  pthread_cond_signal(&queue_nonempty);
  pthread_mutex_unlock(&queue_lock);
  printf("queued %d\n", queued);
  return 0;
}
