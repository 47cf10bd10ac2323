// EXPECT: none
// DESCRIPTION: poll, ppoll, select and pselect on an empty pipe, and select without descriptors, time out after their 5 ms as natively (return 0, no revents, select's sets emptied, select's timeval consumed, the clock moved on by at least the time-out), report the pipe ready once a thread that sleeps 2 ms wrote to it, and a poll without time-out ends with that write; CHECKs test every output parameter (a wrong one would be a crash finding)
// SCHEDULES: 20
#define _GNU_SOURCE /* ppoll */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

/* Always on (the checked calls are inside): a failure aborts. */
#define CHECK(x)                                                                \
  do {                                                                         \
    if (!(x))                                                                  \
      abort();                                                                 \
  } while (0)

static int fds[2];

static int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void check_timeouts(void) {
  int64_t start = now_us();
  struct pollfd p = {fds[0], POLLIN, -1};
  CHECK(poll(&p, 1, 5) == 0 && p.revents == 0);
  struct timespec five_ms = {0, 5000000};
  p.revents = -1;
  CHECK(ppoll(&p, 1, &five_ms, NULL) == 0 && p.revents == 0);
  fd_set r;
  FD_ZERO(&r);
  FD_SET(fds[0], &r);
  struct timeval tv = {0, 5000};
  CHECK(select(fds[0] + 1, &r, NULL, NULL, &tv) == 0);
  CHECK(!FD_ISSET(fds[0], &r) && tv.tv_sec == 0 && tv.tv_usec == 0);
  FD_SET(fds[0], &r);
  sigset_t none;
  sigemptyset(&none);
  CHECK(pselect(fds[0] + 1, &r, NULL, NULL, &five_ms, &none) == 0);
  CHECK(!FD_ISSET(fds[0], &r));
  tv.tv_usec = 5000; /* select without descriptors: a portable sleep */
  CHECK(select(0, NULL, NULL, NULL, &tv) == 0 && tv.tv_usec == 0);
  CHECK(now_us() - start >= 5 * 5000);
}

static void *writer(void *unused) {
  (void)unused;
  usleep(2000);
  ssize_t n = write(fds[1], "x", 1);
  CHECK(n == 1);
  return NULL;
}

int main(void) {
  if (pipe(fds) != 0)
    return 1;
  check_timeouts();
  pthread_t thread;
  pthread_create(&thread, NULL, writer, NULL);
  struct pollfd p = {fds[0], POLLIN, 0};
  CHECK(poll(&p, 1, -1) == 1 && (p.revents & POLLIN));
  fd_set r;
  FD_ZERO(&r);
  FD_SET(fds[0], &r);
  struct timeval tv = {1, 0};
  CHECK(select(fds[0] + 1, &r, NULL, NULL, &tv) == 1 && FD_ISSET(fds[0], &r));
  p.revents = 0;
  CHECK(poll(&p, 1, 1000) == 1 && p.revents == POLLIN);
  char c;
  CHECK(read(fds[0], &c, 1) == 1 && c == 'x');
  pthread_join(thread, NULL);
  printf("timeouts and readiness as expected\n");
  return 0;
}
