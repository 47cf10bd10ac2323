// EXPECT: none
// DESCRIPTION: main holds an open-file-description lock on a temporary file; a worker asks for the same lock through its own open of the file with F_OFD_SETLKW and waits in the kernel until main releases it: the wait happens outside the scheduler, so main can run on and release the lock instead of the run hanging
// SCHEDULES: 4
#define _GNU_SOURCE /* F_OFD_SETLKW */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

char lock_path[64];

static int set_lock(int fd, short type, int cmd) {
  struct flock range = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
  return fcntl(fd, cmd, &range);
}

static void *wait_for_lock(void *unused) {
  (void)unused;
  int fd = open(lock_path, O_RDWR);
  if (fd < 0)
    return NULL;
  int locked = set_lock(fd, F_WRLCK, F_OFD_SETLKW);
  if (locked == 0)
    set_lock(fd, F_UNLCK, F_OFD_SETLK);
  close(fd);
  return NULL;
}

int main(void) {
  snprintf(lock_path, sizeof lock_path, "/tmp/racecheck-ofd-%d", (int)getpid());
  int fd = open(lock_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || set_lock(fd, F_WRLCK, F_OFD_SETLK) != 0)
    return 1;
  pthread_t waiter;
  pthread_create(&waiter, NULL, wait_for_lock, NULL);
  sched_yield(); /* let the worker ask for the lock */
  set_lock(fd, F_UNLCK, F_OFD_SETLK);
  pthread_join(waiter, NULL);
  close(fd);
  unlink(lock_path);
  puts("done");
  return 0;
}
