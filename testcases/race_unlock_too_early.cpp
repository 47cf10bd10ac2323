// EXPECT: race
// DESCRIPTION: a std::unique_lock is released early (lock.unlock()) and the shared cache is still written afterwards
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

static std::mutex cache_lock;
static std::string cached_name;
static int cache_hits;

static void refresh(const char *name) {
  for (int i = 0; i < 20; i++) {
    std::unique_lock<std::mutex> lock(cache_lock);
    bool hit = cached_name == name;
    lock.unlock(); // released too early...
    if (hit)
      cache_hits++; // SITE
  }
}

int main() {
  cached_name = "alpha";
  std::thread first(refresh, "alpha");
  std::thread second(refresh, "alpha");
  first.join();
  second.join();
  std::printf("hits %d\n", cache_hits);
  return 0;
}
