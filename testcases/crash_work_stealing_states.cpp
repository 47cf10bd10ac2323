// EXPECT: crash
// DESCRIPTION: a work-stealing pool: the owner claims tasks from the back and two thieves from the front of a plain std::vector of task states, each by checking that a state is pending and then marking it taken; without a lock a thief and the owner (or two thieves) can both see a task pending, and the task then runs twice, which its run counter asserts against (the races on the states are reported too: ALLOW). Schedules to the bug at -O0 and -O2 (seed 0 on): pct:3 3, random 1; before shared plain accesses were scheduling points, not within 2,000 by either
// ALLOW: data-race
// SCHEDULES: 10
// NEEDED: pct:3<=10 random<=10
#include <atomic>
#include <cassert>
#include <cstdio>
#include <thread>
#include <vector>

enum { kPending = 0, kTaken = 1 };
constexpr int kTasks = 6;
std::vector<int> task_states(kTasks, kPending);
std::atomic<int> task_runs[kTasks];

static void run_task(int task) {
  int before = task_runs[task].fetch_add(1);
  assert(before == 0); // SITE
}

static void claim(int task) {
  if (task_states[task] == kPending) {
    task_states[task] = kTaken;
    run_task(task);
  }
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
  std::printf("%d task runs\n", total);
  return 0;
}
