// EXPECT: race
// DESCRIPTION: one thread renames a worker with strcpy into a global name buffer while another thread measures the name with strlen, no synchronisation; strcpy writes the bytes it copies and strlen reads up to the terminator, so the two libc calls race (the length may come from a half-copied name)
// VARIABLE: worker_name
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char worker_name[32] = "idle";
static const char *volatile new_name = "worker-17";
size_t measured; /* external: the call must not be dead */

static void *renamer(void *unused) {
  (void)unused;
  strcpy(worker_name, new_name); // SITE
  return NULL;
}

static void *measurer(void *unused) {
  (void)unused;
  measured = strlen(worker_name); // SITE
  return NULL;
}

int main(void) {
  pthread_t threads[2];
  pthread_create(&threads[0], NULL, renamer, NULL);
  pthread_create(&threads[1], NULL, measurer, NULL);
  pthread_join(threads[0], NULL);
  pthread_join(threads[1], NULL);
  printf("%s\n", worker_name);
  return 0;
}
