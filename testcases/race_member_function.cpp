// EXPECT: race
// DESCRIPTION: two threads call a member function of one shared object that updates a data member through `this` without a lock
#include <cstdio>
#include <thread>

class RequestCounter {
public:
  void record() {
    requests_++; // SITE
  }
  long requests() const { return requests_; }

private:
  long requests_ = 0;
};

int main() {
  auto *counter = new RequestCounter;
  std::thread first([counter] { for (int i = 0; i < 50; i++) counter->record(); });
  std::thread second([counter] { for (int i = 0; i < 50; i++) counter->record(); });
  first.join();
  second.join();
  std::printf("requests %ld\n", counter->requests());
  delete counter;
  return 0;
}
