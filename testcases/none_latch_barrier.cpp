// EXPECT: none
// DESCRIPTION: C++20 std::latch (start signal and completion) and std::barrier (phases) order plain reads and writes of a shared grid
// STD: c++20
#include <barrier>
#include <cstdio>
#include <latch>
#include <thread>
#include <vector>

constexpr int kWorkers = 3;
static int grid[2][kWorkers];
static int seed_value;

int main() {
  std::latch start(1);
  std::latch done(kWorkers);
  std::barrier phase_end(kWorkers);
  std::vector<std::thread> workers;
  for (int self = 0; self < kWorkers; self++)
    workers.emplace_back([&, self] {
      start.wait(); // seed_value is written before count_down
      grid[0][self] = seed_value + self;
      phase_end.arrive_and_wait();
      grid[1][self] = grid[0][(self + 1) % kWorkers] * 2;
      done.count_down();
    });
  seed_value = 10;
  start.count_down();
  done.wait();
  int sum = grid[1][0] + grid[1][1] + grid[1][2];
  for (auto &worker : workers)
    worker.join();
  std::printf("sum %d\n", sum);
  return sum == 2 * (10 + 11 + 12) ? 0 : 1;
}
