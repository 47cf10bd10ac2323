// EXPECT: hang
// ALLOW: data-race
// DESCRIPTION: two workers race on a plain counter; main joins them and then polls a plain (non-atomic) `go` flag that only start_all() would set, which nobody calls, behind a compiler barrier so each round really reloads it. No thread is left to set it and no signal handler is installed, so the loop re-reads the same value for ever: a `hang` (cause spin) besides the race. The bug keeps the program from ending natively
#include <pthread.h>
#include <stdio.h>

int go;   /* set by start_all(), which nobody calls */
int hits; /* raced on by the workers */
void start_all(void) { go = 1; }

static void *worker(void *unused) {
  (void)unused;
  hits++;
  return NULL;
}

int main(void) {
  pthread_t threads[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&threads[i], NULL, worker, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(threads[i], NULL);
  while (!go) // SITE
    __asm__ volatile("" ::: "memory");
  printf("hits: %d\n", hits);
  return 0;
}
