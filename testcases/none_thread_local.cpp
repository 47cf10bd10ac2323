// EXPECT: none
// DESCRIPTION: thread_local counters and a thread_local object with constructor and destructor, in two waves of threads (stacks and TLS blocks get reused)
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

thread_local int calls_in_this_thread = 0;

struct ScratchBuffer {
  std::string text;
  int uses = 0;
  ScratchBuffer() : text("scratch") {}
  ~ScratchBuffer() { finished_uses.fetch_add(uses, std::memory_order_relaxed); }
  static std::atomic<int> finished_uses;
};
std::atomic<int> ScratchBuffer::finished_uses{0};

thread_local ScratchBuffer scratch;

static void work(int rounds) {
  for (int i = 0; i < rounds; i++) {
    calls_in_this_thread++;
    scratch.uses++;
    scratch.text += 'x';
  }
  if (calls_in_this_thread != rounds)
    std::abort();
}

int main() {
  for (int wave = 0; wave < 2; wave++) {
    std::vector<std::thread> workers;
    for (int i = 0; i < 4; i++)
      workers.emplace_back(work, 100 + i);
    for (auto &worker : workers)
      worker.join();
  }
  std::printf("uses %d\n", ScratchBuffer::finished_uses.load());
  return ScratchBuffer::finished_uses.load() == 2 * (100 + 101 + 102 + 103) ? 0 : 1;
}
