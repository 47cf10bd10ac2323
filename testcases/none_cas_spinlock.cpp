// EXPECT: none
// DESCRIPTION: a hand-written spinlock (compare_exchange_weak acquire, store release) protects plain data
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

class SpinLock {
public:
  void lock() {
    bool expected = false;
    while (!locked_.compare_exchange_weak(expected, true, std::memory_order_acquire,
                                          std::memory_order_relaxed)) {
      expected = false;
      std::this_thread::yield();
    }
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

private:
  std::atomic<bool> locked_{false};
};

static SpinLock journal_lock;
static long journal[64];
static int journal_length;

static void append_entries(long base) {
  for (int i = 0; i < 16; i++) {
    journal_lock.lock();
    journal[journal_length] = base + i;
    journal_length++;
    journal_lock.unlock();
  }
}

int main() {
  std::vector<std::thread> writers;
  for (long base = 0; base < 4000; base += 1000)
    writers.emplace_back(append_entries, base);
  for (auto &writer : writers)
    writer.join();
  std::printf("%d entries\n", journal_length);
  return journal_length == 64 ? 0 : 1;
}
