// EXPECT: crash
// DESCRIPTION: a consumer reads the current queue through an atomic pointer that a shutdown thread sets to null; when shutdown comes first, the consumer hands the null pointer to a leaf compiled without instrumentation (as a library would be), which dereferences it. The fault is in the leaf, past the last instrumented site (the consumer's atomic load): the report must name the leaf's faulting line.
// SCHEDULES: 20
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

struct queue {
  int items[4];
  int count;
};

static struct queue the_queue = {{7, 8, 9, 10}, 4};
struct queue *_Atomic current_queue = &the_queue;

/* An uninstrumented leaf: no access in it reaches the runtime. */
__attribute__((noinline, disable_sanitizer_instrumentation)) static int
first_item(const struct queue *q) {
  return q->items[0];  // SITE
}

static void *consumer(void *unused) {
  (void)unused;
  long sum = 0;
  for (int i = 0; i < 2; i++) sum += first_item(atomic_load(&current_queue));
  return (void *)sum;
}

static void *shutdown_queue(void *unused) {
  (void)unused;
  atomic_store(&current_queue, NULL);
  return NULL;
}

int main(void) {
  pthread_t c, s;
  pthread_create(&c, NULL, consumer, NULL);
  pthread_create(&s, NULL, shutdown_queue, NULL);
  void *sum = NULL;
  pthread_join(c, &sum);
  pthread_join(s, NULL);
  printf("sum %ld\n", (long)sum);
  return 0;
}
