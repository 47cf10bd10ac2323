// EXPECT: misuse
// DESCRIPTION: an error path unlocks a mutex it never locked (the lock was taken only on the success path)
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int table[4];

static int store(int slot, int value) {
  if (slot < 0 || slot >= 4) {
    pthread_mutex_unlock(&table_lock); // SITE
    fprintf(stderr, "store: bad slot %d\n", slot);
    return -1;
  }
  pthread_mutex_lock(&table_lock);
  table[slot] = value;
  pthread_mutex_unlock(&table_lock);
  return 0;
}

static void *writer(void *arg) {
  store((int)(long)arg, 7);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, writer, (void *)5L);
  pthread_join(t, NULL);
  store(1, 3);
  printf("table[1] = %d\n", table[1]);
  return 0;
}
