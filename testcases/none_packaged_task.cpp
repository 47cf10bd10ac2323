// EXPECT: none
// DESCRIPTION: std::packaged_task run on a std::thread; the future's get() orders the task's writes of shared state before main reads them
#include <cstdio>
#include <future>
#include <string>
#include <thread>
#include <vector>

static std::vector<std::string> log_lines;

static size_t build_log(int entries) {
  for (int i = 0; i < entries; i++)
    log_lines.push_back("entry " + std::to_string(i));
  return log_lines.size();
}

int main() {
  log_lines.reserve(4);
  std::packaged_task<size_t(int)> task(build_log);
  std::future<size_t> lines = task.get_future();
  std::thread worker(std::move(task), 25);
  size_t count = lines.get();
  std::printf("%zu lines, last '%s'\n", count, log_lines.back().c_str());
  worker.join();
  return count == 25 ? 0 : 1;
}
