// EXPECT: none
// DESCRIPTION: the correct twin of crash_record_fields_unlocked.c: the setters store both fields and the checker reads both under one mutex, so the checker always sees a consistent record
// SCHEDULES: 40
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

struct record {
  long id;
  long id_again;
};
struct record shared_record;
static pthread_mutex_t record_lock = PTHREAD_MUTEX_INITIALIZER;

static void *setter(void *arg) {
  long id = (long)arg;
  pthread_mutex_lock(&record_lock);
  shared_record.id = id;
  shared_record.id_again = id;
  pthread_mutex_unlock(&record_lock);
  return NULL;
}

static void *checker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&record_lock);
  long id = shared_record.id;
  long id_again = shared_record.id_again;
  pthread_mutex_unlock(&record_lock);
  assert(id == id_again);
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
