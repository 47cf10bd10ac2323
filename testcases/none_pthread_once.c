// EXPECT: none
// DESCRIPTION: pthread_once initialises a lookup table once; every thread reads it after its own pthread_once call
#include <pthread.h>
#include <stdio.h>

static pthread_once_t table_once = PTHREAD_ONCE_INIT;
static int square_table[64];

static void build_table(void) {
  for (int i = 0; i < 64; i++)
    square_table[i] = i * i;
}

static void *lookup(void *arg) {
  int index = *(int *)arg;
  pthread_once(&table_once, build_table);
  *(int *)arg = square_table[index];
  return NULL;
}

int main(void) {
  int values[4] = {3, 5, 7, 9};
  pthread_t workers[4];
  for (int i = 0; i < 4; i++)
    pthread_create(&workers[i], NULL, lookup, &values[i]);
  for (int i = 0; i < 4; i++)
    pthread_join(workers[i], NULL);
  printf("%d %d %d %d\n", values[0], values[1], values[2], values[3]);
  return 0;
}
