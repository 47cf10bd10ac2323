// EXPECT: none
// DESCRIPTION: two threads lock the same two mutexes with std::scoped_lock, naming them in opposite orders; std::lock's deadlock avoidance (lock one, try the other, back off) makes that safe
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex from_lock, to_lock;
long from_balance = 100, to_balance;

static void transfer_forward() {
  for (int i = 0; i < 5; i++) {
    std::scoped_lock both(from_lock, to_lock);
    from_balance--;
    to_balance++;
  }
}

static void transfer_back() {
  for (int i = 0; i < 5; i++) {
    std::scoped_lock both(to_lock, from_lock);
    to_balance--;
    from_balance++;
  }
}

int main() {
  std::thread forward(transfer_forward), back(transfer_back);
  forward.join();
  back.join();
  std::printf("%ld %ld\n", from_balance, to_balance);
  return 0;
}
