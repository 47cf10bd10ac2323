// EXPECT: none
// DESCRIPTION: C++20 std::atomic::wait/notify_one turn-taking; the release store before notify orders the plain shared value
// STD: c++20
#include <atomic>
#include <cstdio>
#include <thread>

static std::atomic<int> turn{0}; // 0: ping's turn, 1: pong's turn
static long shared_value;

static void take_turns(int mine, int theirs, long increment) {
  for (int round = 0; round < 50; round++) {
    int current;
    while ((current = turn.load(std::memory_order_acquire)) != mine)
      turn.wait(current, std::memory_order_acquire);
    shared_value += increment;
    turn.store(theirs, std::memory_order_release);
    turn.notify_one();
  }
}

int main() {
  std::thread ping(take_turns, 0, 1, 1);
  std::thread pong(take_turns, 1, 0, 100);
  ping.join();
  pong.join();
  std::printf("value %ld\n", shared_value);
  return shared_value == 50 * 101 ? 0 : 1;
}
