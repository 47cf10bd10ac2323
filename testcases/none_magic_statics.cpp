// EXPECT: none
// DESCRIPTION: function-local statics (C++11 magic statics) initialised on first use by several threads at once
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

struct Registry {
  int squares[64];
  std::string name;
  Registry() : name("registry") {
    for (int i = 0; i < 64; i++)
      squares[i] = i * i;
  }
};

static Registry &registry() {
  static Registry instance; // guarded by __cxa_guard_acquire/release
  return instance;
}

static int compute_seed() { return 17; }

static int seed() {
  static int value = compute_seed(); // dynamic initialisation: also guarded
  return value;
}

int main() {
  int results[4] = {};
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; i++)
    workers.emplace_back([i, &results] {
      results[i] = registry().squares[i + 1] + seed() + static_cast<int>(registry().name.size());
    });
  for (auto &worker : workers)
    worker.join();
  std::printf("%d %d %d %d\n", results[0], results[1], results[2], results[3]);
  return 0;
}
