/* linkmain.c — runs worker.c's worker_bump on two threads, linked against libworker.so. */
#include <pthread.h>
#include <stdio.h>

void *worker_bump(void *arg);
int worker_read(void);

int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, worker_bump, 0);
  pthread_create(&b, 0, worker_bump, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  printf("%d\n", worker_read());
  return 0;
}
