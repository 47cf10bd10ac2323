/* race_then_end.c — a data race on `counter`, then the program ends in the
 * way argv[1] names: a signal (from outside, raised, or handled by the
 * program itself), quick_exit, an exec from main or from a thread (of an
 * uninstrumented program, or of itself to race again elsewhere), or a
 * thread that spins forever outside any scheduling point, main polling a
 * plain flag nobody can set ("plain-spin"), or a thread that keeps
 * the token while main waits for it ("busy"; "sysv-exit": the same, with
 * a SIGTERM handler installed by System V's signal that calls _exit). Driven by
 * signal_exec_test.py: the race must be in the report whatever the end. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int counter;
static int second_counter; /* raced on by the exec'd image ("second-race") */
static volatile sig_atomic_t handled;
int never_set; /* "plain-spin" waits for it; external: not folded away */

static void *racer(void *arg) {
  (void)arg;
  counter++;
  return 0;
}

static void *second_racer(void *arg) {
  (void)arg;
  second_counter++;
  return 0;
}

static void *exec_true(void *arg) {
  (void)arg;
  execl("/bin/true", "true", (char *)0);
  return 0;
}

static void *spin(void *arg) {
  (void)arg;
  for (;;) /* no access, no call: never a scheduling point */
    __asm__ volatile("");
  return 0;
}

/* Holds the run token for ever, reaching scheduling points (the lock):
 * a signal the kernel gives to the joining main thread is handed to it. */
static void *busy(void *arg) {
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  static long rounds;
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&lock);
    if (++rounds == 1000) {
      printf("ready\n");
      fflush(stdout);
    }
    pthread_mutex_unlock(&lock);
  }
  return 0;
}

static void on_term(int sig) {
  (void)sig;
  handled = 1;
}

static void exit_five(int sig) {
  (void)sig;
  _exit(5);
}

static int end(const char *how) {
  pthread_t t;
  if (strcmp(how, "wait") == 0) { /* for a signal from outside */
    printf("ready\n");
    fflush(stdout);
    for (;;) pause();
  }
  if (strcmp(how, "raise-int") == 0) raise(SIGINT);
  if (strcmp(how, "raise-hup") == 0) raise(SIGHUP);
  if (strcmp(how, "handled-term") == 0) {
    signal(SIGTERM, on_term);
    raise(SIGTERM);
    printf("handled %d\n", (int)handled);
    return 0;
  }
  if (strcmp(how, "plain-spin") == 0) /* polls a plain flag nobody can set */
    while (!never_set) __asm__ volatile("" ::: "memory");
  if (strcmp(how, "quick-exit") == 0) quick_exit(3);
  if (strcmp(how, "exec-main") == 0) execl("/bin/true", "true", (char *)0);
  if (strcmp(how, "exec-self") == 0) /* an instrumented image */
    execl("/proc/self/exe", "race_then_end", "second-race", (char *)0);
  /* What `signal` is in strict standard modes (-std=c99): System V's. */
  if (strcmp(how, "sysv-exit") == 0) {
    __sysv_signal(SIGTERM, exit_five);
    how = "busy";
  }
  if (strcmp(how, "exec-thread") == 0 || strcmp(how, "spin") == 0 || strcmp(how, "busy") == 0) {
    pthread_create(&t, 0, how[0] == 'e' ? exec_true : how[0] == 's' ? spin : busy, 0);
    pthread_join(t, 0);
  }
  return 9; /* the end asked for did not end the program */
}

int main(int argc, char **argv) {
  const char *how = argc > 1 ? argv[1] : "";
  int second = strcmp(how, "second-race") == 0;
  pthread_t t;
  pthread_create(&t, 0, second ? second_racer : racer, 0);
  if (second)
    second_counter++;
  else
    counter++;
  pthread_join(t, 0);
  return second ? 0 : end(how);
}
