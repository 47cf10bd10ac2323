// EXPECT: none
// DESCRIPTION: the correct twin of failure_self_check_lost_update: two threads add to a hit counter with one atomic read-modify-write (fetch_add), so no update is lost and main's own self-check passes (exit status 0) in every schedule
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

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, count_hits, NULL);
  pthread_create(&b, NULL, count_hits, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  if (atomic_load(&hits) != 2 * HITS) {
    fprintf(stderr, "self-check failed: %d hits counted, %d made\n",
            atomic_load(&hits), 2 * HITS);
    return 1;
  }
  puts("hits counted: all");
  return 0;
}
