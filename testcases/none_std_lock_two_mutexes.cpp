// EXPECT: none
// DESCRIPTION: two threads repeatedly take the same two std::mutex objects in opposite orders, one with std::lock and one with std::scoped_lock; libstdc++'s std::lock locks one, try-locks the other and on failure releases what it holds and next waits (blocking lock) for the one it failed on, so it cannot deadlock, and under a fair scheduler it cannot livelock either: even in lock-step (seed 3) one thread gets both locks within a few rounds; every transfer happens under both locks
// SEEDS: 4
#include <cstdio>
#include <mutex>
#include <thread>

static std::mutex accounts;
static std::mutex journal;
static long balance;
static long entries;

static void deposit_many() {
  for (int i = 0; i < 50; i++) {
    std::lock(accounts, journal);
    std::lock_guard<std::mutex> hold_accounts(accounts, std::adopt_lock);
    std::lock_guard<std::mutex> hold_journal(journal, std::adopt_lock);
    balance += 10;
    entries++;
  }
}

static void withdraw_many() {
  for (int i = 0; i < 50; i++) {
    std::scoped_lock both(journal, accounts);
    balance -= 10;
    entries++;
  }
}

int main() {
  std::thread a(deposit_many);
  std::thread b(withdraw_many);
  a.join();
  b.join();
  std::printf("balance %ld after %ld entries\n", balance, entries);
  return balance == 0 && entries == 100 ? 0 : 1;
}
