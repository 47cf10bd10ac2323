// EXPECT: none
// DESCRIPTION: std::shared_mutex: readers under std::shared_lock read concurrently, a writer under std::unique_lock updates
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

static std::shared_mutex settings_lock;
static int settings[8];
static int settings_generation;

static void reload_settings() {
  for (int round = 1; round <= 30; round++) {
    std::unique_lock<std::shared_mutex> lock(settings_lock);
    for (int i = 0; i < 8; i++)
      settings[i] = round * i;
    settings_generation = round;
  }
}

static void read_settings(long *out) {
  for (int round = 0; round < 30; round++) {
    std::shared_lock<std::shared_mutex> lock(settings_lock);
    long sum = settings_generation;
    for (int i = 0; i < 8; i++)
      sum += settings[i];
    *out += sum;
  }
}

int main() {
  long sums[3] = {0, 0, 0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; i++)
    threads.emplace_back(read_settings, &sums[i]);
  threads.emplace_back(reload_settings);
  for (auto &thread : threads)
    thread.join();
  std::printf("generation %d\n", settings_generation);
  return settings_generation == 30 ? 0 : 1;
}
