// EXPECT: crash
// DESCRIPTION: three setter threads each store both fields of a shared record without a lock while a checker thread reads the two fields and asserts they belong to the same setter; the assert fails only when a switch falls between a setter's two plain stores or between the checker's two plain loads (the data races on the fields are reported too: ALLOW). Schedules to the bug at -O0 and -O2 (seed 0 on): pct:3 1, random 3; before shared plain accesses were scheduling points, not within 2,000 by either
// ALLOW: data-race
// SCHEDULES: 10
// NEEDED: pct:3<=10 random<=10
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

struct record {
  long id;
  long id_again; /* always equal to id in a consistent record */
};
struct record shared_record;

static void *setter(void *arg) {
  long id = (long)arg;
  shared_record.id = id;
  shared_record.id_again = id;
  return NULL;
}

static void *checker(void *arg) {
  (void)arg;
  long id = shared_record.id;
  long id_again = shared_record.id_again;
  assert(id == id_again); // SITE
  return NULL;
}

int main(void) {
  pthread_t setters[3], check;
  for (long i = 0; i < 3; i++)
    pthread_create(&setters[i], NULL, setter, (void *)(i + 1));
  pthread_create(&check, NULL, checker, NULL);
  for (int i = 0; i < 3; i++)
    pthread_join(setters[i], NULL);
  pthread_join(check, NULL);
  printf("record %ld/%ld\n", shared_record.id, shared_record.id_again);
  return 0;
}
