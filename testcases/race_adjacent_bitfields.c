// EXPECT: race
// DESCRIPTION: two threads write different bit-fields of one struct; adjacent bit-fields are one memory location (C11 3.14), so this is a race
// VARIABLE: device_flags
#include <pthread.h>
#include <stdio.h>

struct flags {
  unsigned powered : 1;
  unsigned connected : 1;
  unsigned error_count : 6;
};

struct flags device_flags; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void *power_on(void *unused) {
  (void)unused;
  device_flags.powered = 1; // SITE
  return NULL;
}

static void *connect_device(void *unused) {
  (void)unused;
  device_flags.connected = 1; // SITE
  return NULL;
}

int main(void) {
  pthread_t first, second;
  pthread_create(&first, NULL, power_on, NULL);
  pthread_create(&second, NULL, connect_device, NULL);
  pthread_join(first, NULL);
  pthread_join(second, NULL);
  printf("powered %u connected %u\n", device_flags.powered, device_flags.connected);
  return 0;
}
