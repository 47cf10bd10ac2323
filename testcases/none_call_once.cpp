// EXPECT: none
// DESCRIPTION: std::call_once builds a shared std::map once; every thread reads it after its own call_once
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

static std::once_flag catalog_once;
static std::map<std::string, int> *catalog;

static void build_catalog() {
  catalog = new std::map<std::string, int>{{"apple", 3}, {"pear", 5}, {"plum", 7}};
}

static void look_up(const char *name, int *out) {
  std::call_once(catalog_once, build_catalog);
  *out = catalog->at(name);
}

int main() {
  int results[4] = {};
  const char *names[4] = {"apple", "pear", "plum", "apple"};
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; i++)
    workers.emplace_back(look_up, names[i], &results[i]);
  for (auto &worker : workers)
    worker.join();
  std::printf("%d %d %d %d\n", results[0], results[1], results[2], results[3]);
  delete catalog;
  return 0;
}
