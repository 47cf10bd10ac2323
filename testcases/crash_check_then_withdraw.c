// EXPECT: crash
// DESCRIPTION: check-then-act: two threads each check under the lock that the balance covers their withdrawal, release the lock, then withdraw under it again; when both check before either withdraws the balance goes negative and an assert fires (a few seeds are needed to hit that interleaving)
// SCHEDULES: 6
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t account_lock = PTHREAD_MUTEX_INITIALIZER;
static long balance = 100;

static int can_withdraw(long amount) {
  pthread_mutex_lock(&account_lock);
  int enough = balance >= amount;
  pthread_mutex_unlock(&account_lock);
  return enough;
}

static void withdraw(long amount) {
  pthread_mutex_lock(&account_lock);
  balance -= amount;
  assert(balance >= 0); // SITE
  pthread_mutex_unlock(&account_lock);
}

static void *customer(void *arg) {
  long amount = (long)arg;
  if (can_withdraw(amount))
    withdraw(amount);
  return NULL;
}

int main(void) {
  pthread_t first, second;
  pthread_create(&first, NULL, customer, (void *)70L);
  pthread_create(&second, NULL, customer, (void *)60L);
  pthread_join(first, NULL);
  pthread_join(second, NULL);
  printf("balance left: %ld\n", balance);
  return 0;
}
