// EXPECT: race
// DESCRIPTION: main starts and joins three short threads, so each next thread takes the clock slot
// of the one before (racecheck reuses the slots of threads their creator has joined); the fourth
// thread writes `shared_total` while main, which knows every event of the joined threads in that
// slot but not the new thread's, writes it too without joining it first: the new thread's epochs
// must lie above the old thread's, or main would look ordered after the write VARIABLE:
// shared_total
#include <pthread.h>
#include <stdio.h>

long shared_total;
long warmup[3];

static void *warm(void *arg) {
  long *slot = arg;
  *slot += 1;
  return NULL;
}

static void *add_late(void *arg) {
  (void)arg;
  shared_total += 2;  // SITE
  return NULL;
}

int main(void) {
  for (int i = 0; i < 3; i++) {
    pthread_t t;
    pthread_create(&t, NULL, warm, &warmup[i]);
    pthread_join(t, NULL);
  }
  pthread_t late;
  pthread_create(&late, NULL, add_late, NULL);
  shared_total += 1;  // SITE
  pthread_join(late, NULL);
  printf("%ld\n", shared_total + warmup[0] + warmup[1] + warmup[2]);
  return 0;
}
