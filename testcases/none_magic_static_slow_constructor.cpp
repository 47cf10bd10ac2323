// EXPECT: none
// DESCRIPTION: three threads use a function-local static whose constructor sleeps 5 ms, while the main thread spins on an atomic count of the threads done; the C++ runtime's guard makes the two late threads wait for the first one's initialisation, which then happens before their reads. The sleeping initialiser can still act, so neither the guard's waiters nor the spinning main thread are stuck (with sleepers waking only when no thread could run, the spin was reported as a hang)
// SCHEDULES: 20
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

struct Config {
  int port;
  Config() : port(0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    port = 8080;
  }
};

static Config &config() {
  static Config instance;
  return instance;
}

int ports_seen[3];
std::atomic<int> threads_done;

int main() {
  std::thread threads[3];
  for (int i = 0; i < 3; i++)
    threads[i] = std::thread([i] {
      ports_seen[i] = config().port;
      threads_done.fetch_add(1, std::memory_order_release);
    });
  while (threads_done.load(std::memory_order_acquire) < 3)
    ;
  for (auto &t : threads)
    t.join();
  std::printf("ports: %d %d %d\n", ports_seen[0], ports_seen[1], ports_seen[2]);
  return 0;
}
