// EXPECT: none
// DESCRIPTION: twin of crash_null_deref_in_leaf: the consumer reads the queue pointer that shutdown sets to null, and checks it before handing it to the uninstrumented leaf, so no schedule faults.
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

__attribute__((noinline, disable_sanitizer_instrumentation)) static int
first_item(const struct queue *q) {
  return q->items[0];
}

static void *consumer(void *unused) {
  (void)unused;
  long sum = 0;
  for (int i = 0; i < 2; i++) {
    struct queue *q = atomic_load(&current_queue);
    if (q) /* shut down: nothing to read */
      sum += first_item(q);
  }
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
  pthread_join(c, NULL);
  pthread_join(s, NULL);
  printf("done\n");
  return 0;
}
