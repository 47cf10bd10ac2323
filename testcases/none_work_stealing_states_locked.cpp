// EXPECT: none
// DESCRIPTION: the correct twin of crash_work_stealing_states.cpp: the owner and the two thieves check and mark a task's state under one mutex, so every task runs exactly once
// SCHEDULES: 40
#include <atomic>
#include <cassert>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

enum { kPending = 0, kTaken = 1 };
constexpr int kTasks = 6;
std::vector<int> task_states(kTasks, kPending);
std::atomic<int> task_runs[kTasks];
static std::mutex states_lock;

static void run_task(int task) {
  int before = task_runs[task].fetch_add(1);
  assert(before == 0);
}

static void claim(int task) {
  bool mine = false;
  {
    std::lock_guard<std::mutex> guard(states_lock);
    if (task_states[task] == kPending) {
      task_states[task] = kTaken;
      mine = true;
    }
  }
  if (mine)
    run_task(task);
}

static void owner() {
  for (int task = kTasks - 1; task >= 0; task--)
    claim(task);
}

static void thief() {
  for (int task = 0; task < kTasks; task++)
    claim(task);
}

int main() {
  std::thread owner_thread(owner), first_thief(thief), second_thief(thief);
  owner_thread.join();
  first_thief.join();
  second_thief.join();
  int total = 0;
  for (auto &runs : task_runs)
    total += runs.load();
  assert(total == kTasks);
  std::printf("%d task runs\n", total);
  return 0;
}
