// EXPECT: none
// DESCRIPTION: an event loop: epoll_wait on a pipe with the time-out computed from clock_gettime to the next tick of a 10 ms timer, until the timer fired 5 times and a producer thread (which sleeps 3 ms between messages) delivered its 3 messages. Its time-outs are virtual deadlines like any timed wait, so the loop ends in milliseconds (it used to wait each time-out in real time while the program's virtual clock barely moved, taking tens of seconds); the pipe orders the messages, the counters are the loop thread's own
// SCHEDULES: 20
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

enum { kMessages = 3, kTicks = 5, kTickMs = 10 };

static int pipe_fds[2];

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *producer(void *unused) {
  (void)unused;
  for (char m = 0; m < kMessages; m++) {
    usleep(3000);
    ssize_t n = write(pipe_fds[1], &m, 1);
    assert(n == 1);
  }
  return NULL;
}

int main(void) {
  if (pipe(pipe_fds) != 0)
    return 1;
  int ep = epoll_create1(0);
  struct epoll_event watch = {.events = EPOLLIN, .data.fd = pipe_fds[0]};
  epoll_ctl(ep, EPOLL_CTL_ADD, pipe_fds[0], &watch);
  pthread_t thread;
  pthread_create(&thread, NULL, producer, NULL);
  int64_t start = now_ms(), next_tick = start + kTickMs;
  int ticks = 0, messages = 0;
  while (ticks < kTicks || messages < kMessages) {
    int64_t wait = next_tick - now_ms();
    struct epoll_event ready[4];
    int n = epoll_wait(ep, ready, 4, wait < 0 ? 0 : (int)wait);
    assert(n >= 0);
    for (int i = 0; i < n; i++) {
      char m;
      if (read(ready[i].data.fd, &m, 1) == 1) {
        assert(m == messages);
        messages++;
      }
    }
    if (now_ms() >= next_tick) {
      ticks++;
      next_tick += kTickMs;
    }
  }
  int64_t elapsed = now_ms() - start;
  assert(elapsed >= kTicks * kTickMs);
  pthread_join(thread, NULL);
  close(ep);
  printf("%d ticks, %d messages\n", ticks, messages);
  return 0;
}
