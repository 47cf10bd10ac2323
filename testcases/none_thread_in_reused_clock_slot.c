// EXPECT: none
// DESCRIPTION: the correct twin of race_thread_in_reused_clock_slot: main starts and joins three
// short threads (each next one takes the clock slot of the one before), then a fourth writes
// `shared_total`, and main writes it only after joining that thread: the join orders it, through
// the reused slot
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
  shared_total += 2;
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
  pthread_join(late, NULL);
  shared_total += 1;
  printf("%ld\n", shared_total + warmup[0] + warmup[1] + warmup[2]);
  return 0;
}
