// EXPECT: lock-order-cycle
// DESCRIPTION: ABBA: one thread locks std::mutex a then b, another b then a, concurrently; a potential deadlock (some schedules really deadlock, which also counts)
// SCHEDULES: 4
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex account_lock, audit_lock;
long balance, audit_entries;

static void deposit() {
  std::lock_guard<std::mutex> account(account_lock); // SITE
  std::lock_guard<std::mutex> audit(audit_lock); // SITE
  balance += 10;
  audit_entries++;
}

static void audit() {
  std::lock_guard<std::mutex> audit(audit_lock); // SITE
  std::lock_guard<std::mutex> account(account_lock); // SITE
  audit_entries++;
}

int main() {
  std::thread depositor(deposit), auditor(audit);
  depositor.join();
  auditor.join();
  std::printf("balance %ld\n", balance);  // after the joins: the same in every schedule
  return 0;
}
