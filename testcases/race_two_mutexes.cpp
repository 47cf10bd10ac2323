// EXPECT: race
// DESCRIPTION: two different mutexes "protect" the same variable, so the two critical sections do not exclude each other
// VARIABLE: ledger_total
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex ledger_lock_a;
std::mutex ledger_lock_b;
long ledger_total;

static void credit_under_lock_a() {
  for (int i = 0; i < 1000; i++) {
    std::lock_guard<std::mutex> guard(ledger_lock_a);
    ledger_total += 1; // SITE
  }
}

static void credit_under_lock_b() {
  for (int i = 0; i < 1000; i++) {
    std::lock_guard<std::mutex> guard(ledger_lock_b); // wrong lock
    ledger_total += 2; // SITE
  }
}

int main() {
  std::thread a(credit_under_lock_a);
  std::thread b(credit_under_lock_b);
  a.join();
  b.join();
  std::printf("ledger %ld\n", ledger_total);
  return 0;
}
