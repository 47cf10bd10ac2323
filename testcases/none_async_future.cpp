// EXPECT: none
// DESCRIPTION: std::async(std::launch::async) tasks read shared input and write results; future::get orders them before main's reads
#include <cstdio>
#include <future>
#include <numeric>
#include <string>
#include <vector>

std::vector<int> samples;
std::string last_note;

static long sum_range(size_t begin, size_t end) {
  return std::accumulate(samples.begin() + begin, samples.begin() + end, 0L);
}

int main() {
  samples.resize(1000);
  std::iota(samples.begin(), samples.end(), 1);
  std::future<long> low = std::async(std::launch::async, sum_range, 0, 500);
  std::future<long> high = std::async(std::launch::async, [] {
    last_note = "upper half done"; // read by main only after get()
    return sum_range(500, 1000);
  });
  long total = low.get() + high.get();
  std::printf("total %ld, note '%s'\n", total, last_note.c_str());
  return total == 500500 ? 0 : 1;
}
