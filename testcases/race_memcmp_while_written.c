// EXPECT: race
// DESCRIPTION: one thread compares a global configuration block with memcmp while another thread updates a byte of it with no synchronisation; memcmp reads all the bytes it compares (ThreadSanitizer's strict memcmp), so its read races with the store. At -O2 the compiler must still call memcmp (the plugin marks it nobuiltin) instead of expanding it into loads nothing checks
// VARIABLE: live_config
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char live_config[32] = "mode=fast;retries=3";
const char saved_config[32] = "mode=fast;retries=3";
int unchanged; /* external: the comparison must not be dead */

static void *auditor(void *unused) {
  (void)unused;
  unchanged = memcmp(live_config, saved_config, sizeof live_config) == 0; // SITE
  return NULL;
}

static void *updater(void *unused) {
  (void)unused;
  live_config[18] = '5'; // SITE
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
