// EXPECT: race
// DESCRIPTION: two std::threads run a lambda that captures a local counter by reference and increments it
#include <cstdio>
#include <thread>

int main() {
  int hits = 0;
  auto count_hits = [&hits] {
    for (int i = 0; i < 1000; i++)
      hits++; // SITE
  };
  std::thread first(count_hits);
  std::thread second(count_hits);
  first.join();
  second.join();
  std::printf("hits %d\n", hits);
  return 0;
}
