// EXPECT: none
// DESCRIPTION: two threads read-lock two default (reader-preferring) rwlocks in opposite orders; readers never wait for readers, so the inversion cannot deadlock
#include <pthread.h>
#include <stdio.h>

pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;
pthread_rwlock_t routes_lock = PTHREAD_RWLOCK_INITIALIZER;
int config_version = 3, route_count = 7;

static void *config_then_routes(void *out) {
  pthread_rwlock_rdlock(&config_lock);
  pthread_rwlock_rdlock(&routes_lock);
  *(long *)out = config_version + route_count;
  pthread_rwlock_unlock(&routes_lock);
  pthread_rwlock_unlock(&config_lock);
  return NULL;
}

static void *routes_then_config(void *out) {
  pthread_rwlock_rdlock(&routes_lock);
  pthread_rwlock_rdlock(&config_lock);
  *(long *)out = route_count * config_version;
  pthread_rwlock_unlock(&config_lock);
  pthread_rwlock_unlock(&routes_lock);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  long r1 = 0, r2 = 0;
  pthread_create(&t1, NULL, config_then_routes, &r1);
  pthread_create(&t2, NULL, routes_then_config, &r2);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("%ld %ld\n", r1, r2);
  return 0;
}
