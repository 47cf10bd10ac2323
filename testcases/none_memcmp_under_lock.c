// EXPECT: none
// DESCRIPTION: one thread compares a global configuration block with memcmp while another thread updates a byte of it, both holding one mutex; memcmp reads the block, but the lock orders the read and the store: no race (twin of race_memcmp_while_written)
// SCHEDULES: 20
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char live_config[32] = "mode=fast;retries=3";
const char saved_config[32] = "mode=fast;retries=3";
static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
int unchanged; /* external: the comparison must not be dead */

static void *auditor(void *unused) {
  (void)unused;
  pthread_mutex_lock(&config_lock);
  unchanged = memcmp(live_config, saved_config, sizeof live_config) == 0;
  pthread_mutex_unlock(&config_lock);
  return NULL;
}

static void *updater(void *unused) {
  (void)unused;
  pthread_mutex_lock(&config_lock);
  live_config[18] = '5';
  pthread_mutex_unlock(&config_lock);
  return NULL;
}

int main(void) {
  pthread_t threads[2];
  pthread_create(&threads[0], NULL, auditor, NULL);
  pthread_create(&threads[1], NULL, updater, NULL);
  pthread_join(threads[0], NULL);
  pthread_join(threads[1], NULL);
  printf("%s\n", live_config);
  return 0;
}
