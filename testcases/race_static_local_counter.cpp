// EXPECT: race
// DESCRIPTION: a function-local static is initialised safely (magic statics), but incrementing it afterwards is an ordinary unsynchronised write
#include <cstdio>
#include <thread>

static int initial_id() { return 1000; }

static int next_id() {
  static int counter = initial_id(); // thread-safe initialisation only
  return counter++; // SITE
}

int main() {
  int last[2] = {0, 0};
  std::thread first([&last] { for (int i = 0; i < 100; i++) last[0] = next_id(); });
  std::thread second([&last] { for (int i = 0; i < 100; i++) last[1] = next_id(); });
  first.join();
  second.join();
  std::printf("%d\n", last[0] > last[1] ? last[0] : last[1]);
  return 0;
}
