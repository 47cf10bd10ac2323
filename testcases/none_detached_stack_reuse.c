// EXPECT: none
// DESCRIPTION: detached threads one after another write a stack buffer, also after signalling main; glibc reuses an exited thread's stack for the next thread, which is new memory, not a race
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static sem_t step_done;
static long checksums[16];

/* Not inlined, so the caller's buffer escapes and its accesses are checked. */
__attribute__((noinline)) static long fill_scratch(char *scratch, int size, int seed) {
  long sum = 0;
  for (int i = 0; i < size; i++) {
    scratch[i] = (char)(seed + i);
    sum += scratch[i];
  }
  return sum;
}

static void *step(void *arg) {
  int index = (int)(long)arg;
  char scratch[512];
  checksums[index] = fill_scratch(scratch, sizeof scratch, index);
  sem_post(&step_done);
  /* After the post: nothing orders these writes with the next thread, whose
   * stack may be this very stack once this thread has exited. */
  return (void *)fill_scratch(scratch, sizeof scratch, index + 1);
}

int main(void) {
  sem_init(&step_done, 0, 0);
  for (long i = 0; i < 16; i++) {
    pthread_t worker;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_create(&worker, &attributes, step, (void *)i);
    pthread_attr_destroy(&attributes);
    sem_wait(&step_done);
    usleep(1000); /* let the thread exit so that glibc can reuse its stack */
  }
  long total = 0;
  for (int i = 0; i < 16; i++)
    total += checksums[i];
  printf("total %ld\n", total);
  return 0;
}
