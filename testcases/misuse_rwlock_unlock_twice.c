// EXPECT: misuse
// DESCRIPTION: a reader's cleanup path unlocks its read lock a second time, when the thread no longer holds it
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;
static int config_value = 42;

static int read_config(int *out) {
  pthread_rwlock_rdlock(&config_lock);
  *out = config_value;
  pthread_rwlock_unlock(&config_lock);
  if (*out < 100)
    goto cleanup;
  return 0;
cleanup:
  pthread_rwlock_unlock(&config_lock); // SITE
  return -1;
}

static void *reader(void *result) {
  read_config(result);
  return NULL;
}

int main(void) {
  int value = 0;
  pthread_t t;
  pthread_create(&t, NULL, reader, &value);
  pthread_join(t, NULL);
  printf("value %d\n", value);
  return 0;
}
