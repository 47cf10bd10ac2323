// EXPECT: lock-order-cycle
// DESCRIPTION: ABBA where the second thread does a lot of other locking first: a random schedule almost never deadlocks (the first thread is long done), a directed schedule that pauses it between its two locks does
// SCHEDULES: 4
#include <pthread.h>
#include <stdio.h>

pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
long config_version, cache_entries, stats_hits;

static void *reload_config(void *unused) {
  (void)unused;
  pthread_mutex_lock(&config_lock); // SITE
  pthread_mutex_lock(&cache_lock); // SITE
  config_version++;
  cache_entries = 0;
  pthread_mutex_unlock(&cache_lock);
  pthread_mutex_unlock(&config_lock);
  return NULL;
}

static void *serve_requests(void *unused) {
  (void)unused;
  for (int i = 0; i < 200; i++) {
    pthread_mutex_lock(&stats_lock);
    stats_hits++;
    pthread_mutex_unlock(&stats_lock);
  }
  pthread_mutex_lock(&cache_lock); // SITE
  pthread_mutex_lock(&config_lock); // SITE
  cache_entries++;
  pthread_mutex_unlock(&config_lock);
  pthread_mutex_unlock(&cache_lock);
  return NULL;
}

int main(void) {
  pthread_t reloader, server;
  pthread_create(&server, NULL, serve_requests, NULL);
  pthread_create(&reloader, NULL, reload_config, NULL);
  pthread_join(server, NULL);
  pthread_join(reloader, NULL);
  printf("version %ld, entries %ld, hits %ld\n", config_version, cache_entries, stats_hits);
  return 0;
}
