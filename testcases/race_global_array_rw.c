// EXPECT: race
// DESCRIPTION: read-write race on one element of a global array; the other elements are only touched by one thread
// VARIABLE: sensor_readings[3]
#include <pthread.h>
#include <stdio.h>

int sensor_readings[16]; /* external linkage: -O2 GlobalOpt cannot shrink or split it */

static void *record_reading(void *unused) {
  (void)unused;
  sensor_readings[2] = 11; /* no other thread touches element 2 */
  sensor_readings[3] = 12; // SITE
  return NULL;
}

static void *sample_reading(void *result) {
  *(int *)result = sensor_readings[3]; // SITE
  return NULL;
}

int main(void) {
  int sampled = 0;
  pthread_t writer, reader;
  pthread_create(&writer, NULL, record_reading, NULL);
  pthread_create(&reader, NULL, sample_reading, &sampled);
  pthread_join(writer, NULL);
  pthread_join(reader, NULL);
  printf("sampled %d, element 2 is %d\n", sampled, sensor_readings[2]);
  return 0;
}
