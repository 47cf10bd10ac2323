// EXPECT: race
// VARIABLE: accounts
// DESCRIPTION: two tables of 512 buckets each have their own 96 heap-allocated stripe mutexes (192 locks, more than the runtime keeps at hand, so lookups by address go through its cache and its table alike); the transfer thread updates an account and its audit entry while holding only the audit table's stripe (it should hold both), so its account updates are unordered with the deposit thread's, which holds the accounts table's own stripes; no lock is shared, so no interleaving orders them
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define STRIPES 96
#define BUCKETS 512

long accounts[BUCKETS], audit[BUCKETS];
pthread_mutex_t *account_stripes, *audit_stripes;

static void *deposit(void *unused) {
  (void)unused;
  for (int i = 0; i < 400; i++) {
    unsigned b = (unsigned)(i * 7) % BUCKETS;
    pthread_mutex_lock(&account_stripes[b % STRIPES]);
    accounts[b]++; // SITE
    pthread_mutex_unlock(&account_stripes[b % STRIPES]);
  }
  return NULL;
}

static void *transfer(void *unused) {
  (void)unused;
  for (int i = 0; i < 400; i++) {
    unsigned b = (unsigned)(i * 13) % BUCKETS;
    pthread_mutex_lock(&audit_stripes[b % STRIPES]); /* the account stripe is missing */
    accounts[b]--; // SITE
    audit[b]++;
    pthread_mutex_unlock(&audit_stripes[b % STRIPES]);
  }
  return NULL;
}

static pthread_mutex_t *new_stripes(void) {
  pthread_mutex_t *s = malloc(STRIPES * sizeof *s);
  for (int i = 0; i < STRIPES; i++)
    pthread_mutex_init(&s[i], NULL);
  return s;
}

int main(void) {
  account_stripes = new_stripes();
  audit_stripes = new_stripes();
  pthread_t one, two;
  pthread_create(&one, NULL, deposit, NULL);
  pthread_create(&two, NULL, transfer, NULL);
  pthread_join(one, NULL);
  pthread_join(two, NULL);
  long total = 0;
  for (int b = 0; b < BUCKETS; b++)
    total += accounts[b];
  printf("%ld\n", total);
  return 0;
}
