// EXPECT: none
// DESCRIPTION: the twin of race_fortified_memcpy: the same _FORTIFY_SOURCE=2 build, with the copy
// out of the shared record and its rewrite under one mutex: __memcpy_chk's accesses are ordered by
// the lock, no race. SCHEDULES: 4
#undef _FORTIFY_SOURCE
#define _FORTIFY_SOURCE 2
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char shared_record[64] = "initial record";
volatile size_t record_length = 15;
static pthread_mutex_t record_lock = PTHREAD_MUTEX_INITIALIZER;

static void *copier(void *out) {
  pthread_mutex_lock(&record_lock);
  memcpy(out, shared_record, record_length);
  pthread_mutex_unlock(&record_lock);
  return NULL;
}

int main(void) {
  char copy[64];
  pthread_t t;
  pthread_create(&t, NULL, copier, copy);
  pthread_mutex_lock(&record_lock);
  shared_record[3] = 'T';
  pthread_mutex_unlock(&record_lock);
  pthread_join(t, NULL);
  printf("copied\n");
  return 0;
}
