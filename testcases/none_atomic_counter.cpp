// EXPECT: none
// DESCRIPTION: std::atomic counters bumped with fetch_add (seq_cst and relaxed) by four threads, read after join
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

std::atomic<long> total_events{0};
std::atomic<long> relaxed_hits{0};

static void count_events() {
  for (int i = 0; i < 5000; i++) {
    total_events.fetch_add(1);
    relaxed_hits.fetch_add(1, std::memory_order_relaxed); // atomics never race with atomics
  }
}

int main() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; i++)
    workers.emplace_back(count_events);
  for (auto &worker : workers)
    worker.join();
  std::printf("%ld %ld\n", total_events.load(), relaxed_hits.load());
  return total_events.load() == 20000 && relaxed_hits.load() == 20000 ? 0 : 1;
}
