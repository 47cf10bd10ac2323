// EXPECT: race
// DESCRIPTION: the README demo: two tellers deposit into one account; the
// balance is protected by the account's mutex, but the audit counter beside
// it is not.
#include <pthread.h>
#include <stdio.h>

struct account {
  pthread_mutex_t lock;
  long balance;      /* protected by lock */
  long deposits;     /* audit counter: forgotten by the lock */
};

static struct account checking = {PTHREAD_MUTEX_INITIALIZER, 0, 0};

static void deposit(struct account *a, long amount) {
  pthread_mutex_lock(&a->lock);
  a->balance += amount;
  pthread_mutex_unlock(&a->lock);
  a->deposits++; // SITE
}

static void *teller(void *arg) {
  for (int i = 0; i < 1000; i++)
    deposit(&checking, (long)(size_t)arg);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, teller, (void *)1);
  pthread_create(&t2, NULL, teller, (void *)2);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("balance %ld after %ld deposits\n", checking.balance, checking.deposits);
  return 0;
}
