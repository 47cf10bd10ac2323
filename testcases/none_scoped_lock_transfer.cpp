// EXPECT: none
// DESCRIPTION: transfers between two accounts lock both mutexes with std::scoped_lock (std::lock's deadlock-avoiding try-and-back-off), in opposite orders from two threads
#include <cstdio>
#include <mutex>
#include <thread>

struct Account {
  std::mutex lock;
  long balance = 1000;
};

static Account checking, savings;

static void transfer(Account &from, Account &to, long amount, int times) {
  for (int i = 0; i < times; i++) {
    std::scoped_lock both(from.lock, to.lock);
    from.balance -= amount;
    to.balance += amount;
  }
}

int main() {
  std::thread forward(transfer, std::ref(checking), std::ref(savings), 3, 200);
  std::thread backward(transfer, std::ref(savings), std::ref(checking), 2, 200);
  forward.join();
  backward.join();
  std::printf("total %ld\n", checking.balance + savings.balance);
  return checking.balance + savings.balance == 2000 ? 0 : 1;
}
