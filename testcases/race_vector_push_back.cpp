// EXPECT: race
// DESCRIPTION: std::vector::push_back from two threads; the race is inside the library template, reported through the calling line
#include <cstdio>
#include <thread>
#include <vector>

std::vector<int> shared_results;

static void produce(int base) {
  for (int i = 0; i < 100; i++)
    shared_results.push_back(base + i); // SITE
}

int main() {
  // Enough capacity that no reallocation happens: the program stays memory
  // safe natively while the size bookkeeping still races.
  shared_results.reserve(1024);
  std::thread first(produce, 0);
  std::thread second(produce, 1000);
  first.join();
  second.join();
  std::printf("%zu results\n", shared_results.size());
  return 0;
}
