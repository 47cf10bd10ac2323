// EXPECT: race
// DESCRIPTION: built with _FORTIFY_SOURCE=2, memcpy of a runtime length becomes glibc's checked
// __memcpy_chk, called from the inline memcpy of <bits/string_fortified.h>: a worker copies a shared
// record out while main rewrites it unlocked. The race must be reported at the user's memcpy line
// (the caller of the header's inline function), not at the header's line. SCHEDULES: 2
#undef _FORTIFY_SOURCE
#define _FORTIFY_SOURCE 2
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char shared_record[64] = "initial record";
volatile size_t record_length = 15;

static void *copier(void *out) {
  memcpy(out, shared_record, record_length); // SITE
  return NULL;
}

int main(void) {
  char copy[64];
  pthread_t t;
  pthread_create(&t, NULL, copier, copy);
  shared_record[3] = 'T'; // SITE
  pthread_join(t, NULL);
  printf("copied\n");
  return 0;
}
