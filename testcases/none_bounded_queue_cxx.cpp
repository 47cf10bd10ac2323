// EXPECT: none
// DESCRIPTION: C++ bounded blocking queue (std::mutex, two std::condition_variable with predicate waits) moving std::unique_ptr records between threads
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct Record {
  int sequence;
  std::string label;
};

class BoundedQueue {
public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  void push(std::unique_ptr<Record> item) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [this] { return items_.size() < capacity_; });
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }

  std::unique_ptr<Record> pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [this] { return !items_.empty(); });
    std::unique_ptr<Record> item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

private:
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::unique_ptr<Record>> items_;
};

int main() {
  constexpr int kItems = 100;
  BoundedQueue queue(4);
  long sums[2] = {0, 0};
  std::vector<std::thread> threads;
  for (int p = 0; p < 2; p++)
    threads.emplace_back([&queue, p] {
      for (int i = 0; i < kItems; i++) {
        auto record = std::make_unique<Record>();
        record->sequence = i;
        record->label = "producer-" + std::to_string(p);
        queue.push(std::move(record));
      }
    });
  for (int c = 0; c < 2; c++)
    threads.emplace_back([&queue, &sums, c] {
      for (int i = 0; i < kItems; i++) {
        std::unique_ptr<Record> record = queue.pop();
        sums[c] += record->sequence + static_cast<long>(record->label.size());
      }
    });
  for (auto &thread : threads)
    thread.join();
  std::printf("total %ld\n", sums[0] + sums[1]);
  return 0;
}
