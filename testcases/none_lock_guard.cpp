// EXPECT: none
// DESCRIPTION: std::mutex with std::lock_guard and std::unique_lock protecting a std::map shared by three threads
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

static std::mutex inventory_lock;
static std::map<std::string, int> inventory;

static void restock(const std::string &item, int rounds) {
  for (int i = 0; i < rounds; i++) {
    std::lock_guard<std::mutex> guard(inventory_lock);
    inventory[item] += 1;
  }
}

static int count_all() {
  std::unique_lock<std::mutex> lock(inventory_lock);
  int total = 0;
  for (const auto &entry : inventory)
    total += entry.second;
  return total;
}

int main() {
  std::vector<std::thread> workers;
  workers.emplace_back(restock, "bolts", 200);
  workers.emplace_back(restock, "nuts", 200);
  workers.emplace_back(restock, "bolts", 200);
  int snapshot = count_all(); // concurrent with the workers, under the lock
  for (auto &worker : workers)
    worker.join();
  std::printf("snapshot %s, final %d\n", snapshot <= 600 ? "ok" : "bad", count_all());
  return count_all() == 600 ? 0 : 1;
}
