// EXPECT: failure
// DESCRIPTION: an atomicity violation without a data race: a counting thread adds its hits to a counter with fetch_add while a second thread adds one late hit by an atomic load followed by an atomic store (not one read-modify-write), so the hits counted in between are lost when the counting thread runs between the two; main's own self-check compares the counter with the hits made and exits 1 in those schedules only (a `failure`: the exit status differs from the reference schedule's 0)
// SCHEDULES: 8
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define HITS 20

static atomic_int hits;

static void *count_hits(void *unused) {
  (void)unused;
  for (int i = 0; i < HITS; i++)
    atomic_fetch_add(&hits, 1);
  return NULL;
}

static void *late_hit(void *unused) {
  (void)unused;
  int seen = atomic_load(&hits);
  atomic_store(&hits, seen + 1); /* loses the hits counted since the load */
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, count_hits, NULL);
  pthread_create(&b, NULL, late_hit, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  if (atomic_load(&hits) != HITS + 1) {
    fprintf(stderr, "self-check failed: %d hits counted, %d made\n",
            atomic_load(&hits), HITS + 1);
    return 1;
  }
  puts("hits counted: all");
  return 0;
}
