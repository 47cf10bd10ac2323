// event_loop_shrink.c - a busy event loop over a pipe and epoll whose crash needs only a few
// preemptions at its very end: thousands of preemptions in the run that finds it, few in its
// cause. Measures schedule shrinking (docs/schedule-format.md, "Shrinking"):
//   racecheck run --seed 7 --access-points on -- ./event_loop_shrink 10000
#include <assert.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

static long MESSAGES = 3000;

static int fds[2];
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static long handled, sent;
// Who runs the shutdown: a check-then-act without a lock.
static atomic_int owner, flushed;

static void shut_down(int me) {
  if (atomic_load_explicit(&owner, memory_order_relaxed) == 0) {
    for (int i = 0; i < 8; i++)  // flushing the statistics: a window for the other thread
      atomic_fetch_add_explicit(&flushed, 1, memory_order_relaxed);
    atomic_store_explicit(&owner, me, memory_order_relaxed);
    // Another thread that also saw 0 overwrote it in between.
    assert(atomic_load_explicit(&owner, memory_order_relaxed) == me);
  }
}

static void *producer(void *arg) {
  (void)arg;
  for (int i = 0; i < MESSAGES; i++) {
    char byte = (char)i;
    if (write(fds[1], &byte, 1) != 1) return 0;
    pthread_mutex_lock(&stats_lock);
    sent++;
    pthread_mutex_unlock(&stats_lock);
  }
  close(fds[1]);
  // Wait until the loop has handled everything, then both shut down at once.
  for (;;) {
    pthread_mutex_lock(&stats_lock);
    long done = handled;
    pthread_mutex_unlock(&stats_lock);
    if (done == MESSAGES) break;
    sched_yield();
  }
  shut_down(2);
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1) MESSAGES = atol(argv[1]);
  if (pipe(fds) != 0) return 1;
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = fds[0]};
  epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev);
  pthread_t t;
  pthread_create(&t, 0, producer, 0);
  for (;;) {
    struct epoll_event got;
    if (epoll_wait(ep, &got, 1, -1) != 1) continue;
    char buffer[16];
    ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    pthread_mutex_lock(&stats_lock);
    handled += n;
    pthread_mutex_unlock(&stats_lock);
  }
  shut_down(1);
  pthread_join(t, 0);
  printf("%ld handled, %ld sent\n", handled, sent);
  return 0;
}
