// EXPECT: none
// DESCRIPTION: a database's reader copies the shared header (page count, root page, free list)
// without a lock while the writer updates it, and keeps the copy only if the writer's version
// counter was even and unchanged around it (a seqlock); the copy races by design, so its function
// is marked no_sanitize("thread") as under -fsanitize=thread: racecheck checks none of its plain
// accesses (the atomics stay), and the run is clean SCHEDULES: 20
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

struct header {
  long page_count, root_page, free_list;
};

struct header shared_header;
atomic_long header_version;

static void update_header(long n) {
  atomic_fetch_add_explicit(&header_version, 1, memory_order_acq_rel);
  shared_header.page_count = n;
  shared_header.root_page = n / 2;
  shared_header.free_list = n - 1;
  atomic_fetch_add_explicit(&header_version, 1, memory_order_release);
}

// The deliberately racy copy: checked by the version counter, not a lock.
__attribute__((no_sanitize("thread"))) static int copy_header(struct header *out) {
  long before = atomic_load_explicit(&header_version, memory_order_acquire);
  if (before & 1) return 0;
  out->page_count = *(volatile long *)&shared_header.page_count;
  out->root_page = *(volatile long *)&shared_header.root_page;
  out->free_list = *(volatile long *)&shared_header.free_list;
  atomic_thread_fence(memory_order_acquire);
  return atomic_load_explicit(&header_version, memory_order_relaxed) == before;
}

static void *writer(void *arg) {
  (void)arg;
  for (long n = 1; n <= 3; n++) update_header(n * 10);
  return NULL;
}

int main(void) {
  pthread_t thread;
  if (pthread_create(&thread, NULL, writer, NULL) != 0) return 1;
  int consistent = 1;
  for (int i = 0; i < 3; i++) {
    struct header copy;
    if (copy_header(&copy) && copy.root_page * 2 != copy.page_count) consistent = 0;
  }
  pthread_join(thread, NULL);
  printf("consistent: %d\n", consistent);
  return 0;
}
