// EXPECT: race
// DESCRIPTION: field beside a protected field: `balance` is guarded by the struct's mutex, its neighbour `audit_count` is updated outside the lock
// VARIABLE: shared_account.audit_count
#include <cstdio>
#include <mutex>
#include <thread>

struct Account {
  std::mutex lock;
  long balance = 0;     // guarded by lock
  long audit_count = 0; // meant to be guarded by lock too, but is not
};

Account shared_account;

static void deposit_many(long amount) {
  for (int i = 0; i < 1000; i++) {
    {
      std::lock_guard<std::mutex> guard(shared_account.lock);
      shared_account.balance += amount;
    }
    shared_account.audit_count++; // SITE
  }
}

int main() {
  std::thread first(deposit_many, 1);
  std::thread second(deposit_many, 2);
  first.join();
  second.join();
  std::printf("balance %ld, audits %ld\n", shared_account.balance, shared_account.audit_count);
  return 0;
}
