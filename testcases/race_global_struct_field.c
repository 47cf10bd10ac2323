// EXPECT: race
// DESCRIPTION: two threads bump one field of a global struct; the report must name the variable and the field
// VARIABLE: stats.errors_seen
#include <pthread.h>
#include <stdio.h>

struct server_stats {
  long requests_served;
  long errors_seen;
  char last_error[32];
};

struct server_stats stats;

static void *handle_requests(void *unused) {
  (void)unused;
  for (int i = 0; i < 100; i++) {
    if (i % 10 == 9)
      stats.errors_seen++; // SITE
  }
  return NULL;
}

int main(void) {
  stats.requests_served = 1; /* before the creates: ordered */
  pthread_t workers[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&workers[i], NULL, handle_requests, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(workers[i], NULL);
  printf("served %ld, errors %ld\n", stats.requests_served, stats.errors_seen);
  return 0;
}
