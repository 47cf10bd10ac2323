// EXPECT: none
// DESCRIPTION: two threads each hold all 200 locks of an array at once, taken in index order (about 20,000 lock-order edges per thread); no cycle, and nothing caps the locks held
#include <pthread.h>
#include <stdio.h>

enum { kLocks = 200 };

pthread_mutex_t bucket_locks[kLocks];
long bucket_counts[kLocks];

static void *lock_everything(void *unused) {
  (void)unused;
  for (int i = 0; i < kLocks; i++)
    pthread_mutex_lock(&bucket_locks[i]);
  for (int i = 0; i < kLocks; i++)
    bucket_counts[i]++;
  for (int i = kLocks; i-- > 0;)
    pthread_mutex_unlock(&bucket_locks[i]);
  return NULL;
}

int main(void) {
  for (int i = 0; i < kLocks; i++)
    pthread_mutex_init(&bucket_locks[i], NULL);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, lock_everything, NULL);
  pthread_create(&t2, NULL, lock_everything, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("%ld\n", bucket_counts[kLocks - 1]);
  return 0;
}
