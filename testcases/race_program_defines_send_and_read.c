// EXPECT: race
// DESCRIPTION: the program has a global variable named send and its own global function named read (names racecheck intercepts), so it links only because the interceptors are weak; read adds to send without the lock the other accesses take
// VARIABLE: send
#include <pthread.h>
#include <stdio.h>

// Names libc also uses: natively these are simply the program's own.
int send;
static pthread_mutex_t sensor_lock = PTHREAD_MUTEX_INITIALIZER;
static int sensor_values[4] = {3, 5, 7, 11};

int read(int sensor) {
  pthread_mutex_lock(&sensor_lock);
  int value = sensor_values[sensor & 3];
  pthread_mutex_unlock(&sensor_lock);
  send += value; // SITE
  return value;
}

static void *poll_sensors(void *arg) {
  long sum = 0;
  for (int i = 0; i < 100; i++)
    sum += read((int)(long)arg + i);
  return (void *)sum;
}

int main(void) {
  pthread_t pollers[3];
  for (long i = 0; i < 3; i++)
    pthread_create(&pollers[i], NULL, poll_sensors, (void *)i);
  long total = 0;
  for (int i = 0; i < 3; i++) {
    void *sum;
    pthread_join(pollers[i], &sum);
    total += (long)sum;
  }
  printf("total %ld\n", total);
  return 0;
}
