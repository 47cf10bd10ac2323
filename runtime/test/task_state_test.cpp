// task_state_test.cpp — the kernel's view of a thread (sched/task_state.c):
// its state, the system call it sleeps in with its first argument, which
// waits someone outside the process may end, and a task that is gone.
#include <gtest/gtest.h>

#include <atomic>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

extern "C" {
#include "sched/task_state.h"
}

namespace {

struct Reader {
  int fd;
  std::atomic<int> tid{0};
};

void *ReadOneByte(void *arg) {
  auto *reader = static_cast<Reader *>(arg);
  reader->tid = static_cast<int>(syscall(SYS_gettid));
  char byte;
  if (read(reader->fd, &byte, 1) != 1) return nullptr;
  return nullptr;
}

TEST(TaskState, ABlockedReadIsSeenWithItsDescriptorThenTheTaskIsGone) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  Reader reader{fds[0]};
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, nullptr, ReadOneByte, &reader), 0);
  rc_task_syscall call{};
  bool asleep = false;
  for (int i = 0; i < 5000 && !asleep; ++i) {
    usleep(1000);
    int tid = reader.tid.load();
    asleep = tid && rc_task_state(tid) == 'S' && rc_task_syscall_of(tid, &call) &&
             call.number == SYS_read;
  }
  ASSERT_TRUE(asleep) << "the reader never slept in read";
  EXPECT_EQ(call.arg0, static_cast<uint64_t>(fds[0]));
  EXPECT_NE(call.pc, 0u);
  EXPECT_EQ(rc_task_state_in(getpid(), reader.tid), 'S');
  EXPECT_FALSE(rc_task_syscall_waits_outside(0, &call)) << "a pipe is not a terminal";
  EXPECT_FALSE(rc_task_gone(reader.tid));
  ASSERT_EQ(write(fds[1], "x", 1), 1);
  pthread_join(thread, nullptr);
  // The kernel clears the thread id word (ending the join) a moment before
  // the task leaves the thread group.
  bool gone = false;
  for (int i = 0; i < 1000 && !gone; ++i) {
    gone = rc_task_gone(reader.tid);
    if (!gone) usleep(1000);
  }
  EXPECT_TRUE(gone);
  EXPECT_EQ(rc_task_state(reader.tid), 0);
  close(fds[0]);
  close(fds[1]);
}

void *Spin(void *arg) {
  auto *state = static_cast<std::atomic<int> *>(arg);
  state->store(static_cast<int>(syscall(SYS_gettid)));
  while (state->load() > 0) {
  }
  return nullptr;
}

// (A task reading its own syscall file is in that read: ask about another.)
TEST(TaskState, ASpinningTaskIsInNoCall) {
  std::atomic<int> state{0};
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, nullptr, Spin, &state), 0);
  while (state.load() == 0) usleep(100);
  int tid = state.load();
  rc_task_syscall call{};
  EXPECT_TRUE(rc_task_syscall_of(tid, &call));
  EXPECT_EQ(call.number, -1);
  EXPECT_EQ(rc_task_state(tid), 'R');
  state.store(-1);
  pthread_join(thread, nullptr);
}

TEST(TaskState, ChildProcessWaitsAreWaitsOutside) {
  rc_task_syscall call{};
  call.number = SYS_wait4;
  EXPECT_TRUE(rc_task_syscall_waits_outside(0, &call));
  call.number = SYS_waitid;
  EXPECT_TRUE(rc_task_syscall_waits_outside(0, &call));
  call.number = SYS_futex;
  EXPECT_FALSE(rc_task_syscall_waits_outside(0, &call));
}

}  // namespace
