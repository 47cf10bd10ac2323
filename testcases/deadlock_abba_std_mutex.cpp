// EXPECT: deadlock
// DESCRIPTION: ABBA deadlock on std::mutex: a transfer locks from then to, the reverse transfer locks to then from; natively the first thread is usually done before the second starts, under other interleavings each holds one mutex and waits for the other
// SCHEDULES: 8
#include <cstdio>
#include <mutex>
#include <thread>

struct Account {
  std::mutex lock;
  long balance = 100;
};

Account checking, savings;

// Locks the source first, then the destination: the order depends on the
// direction of the transfer, which is the bug.
static void transfer(Account &from, Account &to, long amount) {
  std::lock_guard<std::mutex> hold_from(from.lock);
  std::lock_guard<std::mutex> hold_to(to.lock); // SITE
  from.balance -= amount;
  to.balance += amount;
}

int main() {
  std::thread forward([] { transfer(checking, savings, 10); });
  std::thread backward([] { transfer(savings, checking, 20); });
  forward.join();
  backward.join();
  std::printf("checking %ld, savings %ld\n", checking.balance, savings.balance);
  return 0;
}
