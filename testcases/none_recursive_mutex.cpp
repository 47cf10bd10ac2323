// EXPECT: none
// DESCRIPTION: std::recursive_mutex taken again by the same thread during recursion, shared by two threads
#include <cstdio>
#include <mutex>
#include <thread>

static std::recursive_mutex tree_lock;
static long node_visits;

static long visit(int depth) {
  std::lock_guard<std::recursive_mutex> guard(tree_lock);
  node_visits++;
  if (depth == 0)
    return 1;
  return 1 + visit(depth - 1) + visit(depth - 1); // re-locks while holding
}

int main() {
  long sizes[2] = {0, 0};
  std::thread first([&sizes] { for (int i = 0; i < 20; i++) sizes[0] += visit(3); });
  std::thread second([&sizes] { for (int i = 0; i < 20; i++) sizes[1] += visit(3); });
  first.join();
  second.join();
  std::printf("visits %ld\n", node_visits);
  return node_visits == 2 * 20 * 15 ? 0 : 1;
}
