/* two_races.c — the program of suppressions_test.py: threads race on a
 * vendored library's statistics counter (legacy_stats_bump), and with the
 * argument "both" also on the program's own balance (deposit), so a rule or
 * opt-out that silences the first must leave the second reported. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

long legacy_stats_hits;
long balance;
static int both;

void legacy_stats_bump(void) { legacy_stats_hits++; }

void deposit(long amount) { balance += amount; }

static void *worker(void *arg) {
  (void)arg;
  legacy_stats_bump();
  if (both) deposit(10);
  return NULL;
}

int main(int argc, char **argv) {
  both = argc > 1 && strcmp(argv[1], "both") == 0;
  pthread_t threads[2];
  for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, worker, NULL);
  for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
  printf("hits %ld balance %ld\n", legacy_stats_hits, balance);
  return 0;
}
