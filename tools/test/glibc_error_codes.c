/* glibc_error_codes.c — every result a program can see from the pthread and
 * semaphore calls racecheck models, one "case: result" line per call, for
 * glibc_semantics_test.py to compare between a native run (the real glibc)
 * and a run under racecheck. Misuse cases are included on purpose: the call
 * must still return what glibc returns. Cases where glibc blocks forever are
 * left out; a second thread holds locks where a case needs another owner. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void show(const char *what, int result) { printf("%s: %d\n", what, result); }

/* sem_* report errors through errno. */
static void show_sem(const char *what, int result) {
  printf("%s: %d\n", what, result == 0 ? 0 : errno);
}

/* One case of a lock named `name` in the calling function. */
static void show_case(const char *name, const char *label, int result) {
  printf("%s %s: %d\n", name, label, result);
}
#define CASE(label, call) show_case(name, label, call)

static const struct timespec past = {0, 0};
static const struct timespec bad_nsec = {0, 1000000000};
static const struct timespec negative_nsec = {0, -1};

/* mutex_attr_init's flags beside the type */
enum { ROBUST = 1, PRIO_INHERIT = 2 };

static void mutex_attr_init(pthread_mutex_t *m, int type, int flags) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, type);
  if (flags & ROBUST) pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  if (flags & PRIO_INHERIT) pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
  pthread_mutex_init(m, &attr);
  pthread_mutexattr_destroy(&attr);
}

/* ---- a second thread holding a lock while main tries it ---- */
typedef struct holder {
  pthread_mutex_t *mutex;
  pthread_rwlock_t *rwlock;
  int write;
  sem_t held, release;
} holder;

static void *hold(void *arg) {
  holder *h = arg;
  if (h->mutex)
    pthread_mutex_lock(h->mutex);
  else if (h->write)
    pthread_rwlock_wrlock(h->rwlock);
  else
    pthread_rwlock_rdlock(h->rwlock);
  sem_post(&h->held);
  sem_wait(&h->release);
  if (h->mutex)
    pthread_mutex_unlock(h->mutex);
  else
    pthread_rwlock_unlock(h->rwlock);
  return 0;
}

static pthread_t start_holder(holder *h) {
  pthread_t thread;
  sem_init(&h->held, 0, 0);
  sem_init(&h->release, 0, 0);
  pthread_create(&thread, 0, hold, h);
  sem_wait(&h->held);
  return thread;
}

static void stop_holder(holder *h, pthread_t thread) {
  sem_post(&h->release);
  pthread_join(thread, 0);
  sem_destroy(&h->held);
  sem_destroy(&h->release);
}

static void mutex_cases(const char *name, int type, int flags) {
  pthread_mutex_t m;
  mutex_attr_init(&m, type, flags);
  CASE("unlock unlocked", pthread_mutex_unlock(&m));
  CASE("lock", pthread_mutex_lock(&m));
  CASE("trylock own", pthread_mutex_trylock(&m));
  if (type == PTHREAD_MUTEX_RECURSIVE) {
    CASE("unlock once", pthread_mutex_unlock(&m));
  } else {
    CASE("timedlock own past", pthread_mutex_timedlock(&m, &past));
    CASE("timedlock own bad nsec", pthread_mutex_timedlock(&m, &bad_nsec));
    CASE("clocklock own bad clock", pthread_mutex_clocklock(&m, CLOCK_PROCESS_CPUTIME_ID, &past));
  }
  if (type == PTHREAD_MUTEX_ERRORCHECK || type == PTHREAD_MUTEX_RECURSIVE)
    CASE("lock own", pthread_mutex_lock(&m));
  if (type == PTHREAD_MUTEX_RECURSIVE) CASE("unlock twice", pthread_mutex_unlock(&m));
  CASE("destroy locked", pthread_mutex_destroy(&m));
  CASE("unlock", pthread_mutex_unlock(&m));
  CASE("unlock again", pthread_mutex_unlock(&m));
  CASE("timedlock free bad nsec", pthread_mutex_timedlock(&m, &bad_nsec));
  CASE("unlock after timedlock", pthread_mutex_unlock(&m));
  CASE("clocklock free bad clock", pthread_mutex_clocklock(&m, CLOCK_PROCESS_CPUTIME_ID, &past));
  CASE("clocklock free monotonic", pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &past));
  CASE("unlock after clocklock", pthread_mutex_unlock(&m));

  holder h = {.mutex = &m};
  pthread_t thread = start_holder(&h);
  CASE("trylock other's", pthread_mutex_trylock(&m));
  CASE("timedlock other's past", pthread_mutex_timedlock(&m, &past));
  CASE("timedlock other's bad nsec", pthread_mutex_timedlock(&m, &bad_nsec));
  CASE("timedlock other's negative nsec", pthread_mutex_timedlock(&m, &negative_nsec));
  if (type != PTHREAD_MUTEX_NORMAL || (flags & PRIO_INHERIT))
    CASE("unlock other's", pthread_mutex_unlock(&m));
  CASE("destroy other's", pthread_mutex_destroy(&m));
  stop_holder(&h, thread);
  CASE("destroy", pthread_mutex_destroy(&m));
}

static void *lock_and_end(void *mutex) {
  pthread_mutex_lock(mutex);
  return 0;
}

/* A robust mutex whose owner ended holding it: recovered, or not. */
static void owner_died_cases(const char *name, int type) {
  /* Each case its own mutex at its own address: glibc hangs when a robust
   * mutex whose owner died is initialised again and taken by a new thread. */
  static pthread_mutex_t mutexes[4];
  static int used;
  for (int recover = 0; recover < 2; recover++) {
    pthread_mutex_t *m = &mutexes[used++];
    mutex_attr_init(m, type, 1);
    pthread_t thread;
    pthread_create(&thread, 0, lock_and_end, m);
    pthread_join(thread, 0);
    CASE(recover ? "recovered lock" : "lock", pthread_mutex_lock(m));
    if (recover) {
      CASE("consistent", pthread_mutex_consistent(m));
      CASE("consistent again", pthread_mutex_consistent(m));
    }
    CASE(recover ? "recovered unlock" : "unlock", pthread_mutex_unlock(m));
    CASE(recover ? "recovered lock after" : "lock after", pthread_mutex_lock(m));
    CASE(recover ? "recovered trylock after" : "trylock after", pthread_mutex_trylock(m));
    if (recover) { /* (glibc's unlock of a lost one crashes) */
      CASE("recovered unlock after", pthread_mutex_unlock(m));
      CASE("recovered unlock after 2", pthread_mutex_unlock(m));
    }
  }
}

static void *lock_wait_and_end(void *arg) {
  holder *h = arg;
  pthread_mutex_lock(h->mutex);
  sem_post(&h->held);
  struct timespec pause = {0, 20 * 1000 * 1000}; /* main blocks meanwhile */
  nanosleep(&pause, 0);
  return 0;
}

/* A robust mutex whose owner ends while another thread waits for it: the
 * waiter wakes with EOWNERDEAD (and a second waiter, once the first gave
 * it up inconsistent, with ENOTRECOVERABLE). */
static void owner_died_waiter_cases(const char *name, int type) {
  static pthread_mutex_t mutexes[2];
  static int used;
  pthread_mutex_t *m = &mutexes[used++];
  mutex_attr_init(m, type, ROBUST);
  holder h = {.mutex = m};
  sem_init(&h.held, 0, 0);
  pthread_t thread;
  pthread_create(&thread, 0, lock_wait_and_end, &h);
  sem_wait(&h.held);
  CASE("blocked lock", pthread_mutex_lock(m));
  pthread_join(thread, 0);
  CASE("blocked unlock", pthread_mutex_unlock(m));
  CASE("lock after blocked", pthread_mutex_lock(m));
  sem_destroy(&h.held);
}

static void garbage_mutex_cases(void) {
  pthread_mutex_t m;
  memset(&m, 0xff, sizeof m);
  show("garbage mutex lock", pthread_mutex_lock(&m));
  show("garbage mutex trylock", pthread_mutex_trylock(&m));
  show("garbage mutex timedlock", pthread_mutex_timedlock(&m, &past));
  show("garbage mutex unlock", pthread_mutex_unlock(&m));
}

/* Locks reset by assigning the static initialiser while locked. */
static void reassigned_mutex_cases(void) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  show("reassigned mutex lock", pthread_mutex_lock(&m));
  m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
  show("reassigned mutex trylock", pthread_mutex_trylock(&m));
  show("reassigned mutex unlock", pthread_mutex_unlock(&m));
  pthread_mutex_t e = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
  show("reassigned errorcheck lock", pthread_mutex_lock(&e));
  e = (pthread_mutex_t)PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
  show("reassigned errorcheck lock again", pthread_mutex_lock(&e));
  show("reassigned errorcheck unlock", pthread_mutex_unlock(&e));
  pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
  show("reassigned rwlock wrlock", pthread_rwlock_wrlock(&rw));
  rw = (pthread_rwlock_t)PTHREAD_RWLOCK_INITIALIZER;
  show("reassigned rwlock wrlock again", pthread_rwlock_wrlock(&rw));
  show("reassigned rwlock unlock", pthread_rwlock_unlock(&rw));
  show("reassigned rwlock rdlock", pthread_rwlock_rdlock(&rw));
  show("reassigned rwlock unlock read", pthread_rwlock_unlock(&rw));
  show("reassigned rwlock rdlock held", pthread_rwlock_rdlock(&rw));
  rw = (pthread_rwlock_t)PTHREAD_RWLOCK_INITIALIZER;
  show("reassigned rwlock trywrlock after read", pthread_rwlock_trywrlock(&rw));
  show("reassigned rwlock unlock after read", pthread_rwlock_unlock(&rw));
}

static void rwlock_cases(const char *name, int kind) {
  pthread_rwlock_t rw;
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
  pthread_rwlockattr_setkind_np(&attr, kind);
  pthread_rwlock_init(&rw, &attr);
  pthread_rwlockattr_destroy(&attr);
  CASE("wrlock", pthread_rwlock_wrlock(&rw));
  CASE("wrlock own", pthread_rwlock_wrlock(&rw));
  CASE("rdlock own", pthread_rwlock_rdlock(&rw));
  CASE("trywrlock own", pthread_rwlock_trywrlock(&rw));
  CASE("tryrdlock own", pthread_rwlock_tryrdlock(&rw));
  CASE("timedwrlock own past", pthread_rwlock_timedwrlock(&rw, &past));
  CASE("timedrdlock own past", pthread_rwlock_timedrdlock(&rw, &past));
  CASE("timedwrlock own bad nsec", pthread_rwlock_timedwrlock(&rw, &bad_nsec));
  CASE("destroy write-locked", pthread_rwlock_destroy(&rw));
  CASE("unlock write", pthread_rwlock_unlock(&rw));
  CASE("rdlock", pthread_rwlock_rdlock(&rw));
  CASE("rdlock again", pthread_rwlock_rdlock(&rw));
  CASE("tryrdlock read-held", pthread_rwlock_tryrdlock(&rw));
  CASE("trywrlock read-held", pthread_rwlock_trywrlock(&rw));
  CASE("timedwrlock read-held past", pthread_rwlock_timedwrlock(&rw, &past));
  CASE("unlock read 1", pthread_rwlock_unlock(&rw));
  CASE("unlock read 2", pthread_rwlock_unlock(&rw));
  CASE("unlock read 3", pthread_rwlock_unlock(&rw));
  CASE("timedrdlock free bad nsec", pthread_rwlock_timedrdlock(&rw, &bad_nsec));
  CASE("timedwrlock free bad nsec", pthread_rwlock_timedwrlock(&rw, &bad_nsec));
  CASE("clockwrlock free bad clock",
       pthread_rwlock_clockwrlock(&rw, CLOCK_PROCESS_CPUTIME_ID, &past));
  CASE("clockrdlock free monotonic", pthread_rwlock_clockrdlock(&rw, CLOCK_MONOTONIC, &past));
  CASE("unlock after clockrdlock", pthread_rwlock_unlock(&rw));

  holder h = {.rwlock = &rw, .write = 1};
  pthread_t thread = start_holder(&h);
  CASE("tryrdlock other's write", pthread_rwlock_tryrdlock(&rw));
  CASE("trywrlock other's write", pthread_rwlock_trywrlock(&rw));
  CASE("timedrdlock other's write past", pthread_rwlock_timedrdlock(&rw, &past));
  CASE("timedwrlock other's write bad nsec", pthread_rwlock_timedwrlock(&rw, &bad_nsec));
  stop_holder(&h, thread);
  h.write = 0;
  thread = start_holder(&h);
  CASE("tryrdlock other's read", pthread_rwlock_tryrdlock(&rw));
  CASE("unlock own read", pthread_rwlock_unlock(&rw));
  CASE("trywrlock other's read", pthread_rwlock_trywrlock(&rw));
  CASE("timedwrlock other's read past", pthread_rwlock_timedwrlock(&rw, &past));
  stop_holder(&h, thread);
  CASE("destroy", pthread_rwlock_destroy(&rw));
}

static void cond_cases(void) {
  pthread_cond_t c = PTHREAD_COND_INITIALIZER;
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_t e;
  mutex_attr_init(&e, PTHREAD_MUTEX_ERRORCHECK, 0);
  pthread_mutex_t r;
  mutex_attr_init(&r, PTHREAD_MUTEX_RECURSIVE, 0);
  show("cond signal no waiter", pthread_cond_signal(&c));
  show("cond broadcast no waiter", pthread_cond_broadcast(&c));
  pthread_mutex_lock(&m);
  show("cond timedwait past", pthread_cond_timedwait(&c, &m, &past));
  show("cond timedwait bad nsec", pthread_cond_timedwait(&c, &m, &bad_nsec));
  show("cond timedwait negative nsec", pthread_cond_timedwait(&c, &m, &negative_nsec));
  show("cond clockwait bad clock", pthread_cond_clockwait(&c, &m, CLOCK_PROCESS_CPUTIME_ID, &past));
  show("cond clockwait monotonic past", pthread_cond_clockwait(&c, &m, CLOCK_MONOTONIC, &past));
  show("cond mutex still held", pthread_mutex_trylock(&m));
  pthread_mutex_unlock(&m);
  show("cond timedwait normal not held", pthread_cond_timedwait(&c, &m, &past));
  show("cond normal locked by the wait", pthread_mutex_trylock(&m));
  show("cond normal unlock", pthread_mutex_unlock(&m));
  show("cond timedwait errorcheck not held", pthread_cond_timedwait(&c, &e, &past));
  show("cond timedwait recursive not held", pthread_cond_timedwait(&c, &r, &past));
  pthread_mutex_lock(&e);
  show("cond timedwait errorcheck held", pthread_cond_timedwait(&c, &e, &past));
  show("cond errorcheck relocked", pthread_mutex_unlock(&e));
  pthread_mutex_lock(&r);
  pthread_mutex_lock(&r);
  show("cond timedwait recursive held twice", pthread_cond_timedwait(&c, &r, &past));
  show("cond recursive unlock 1", pthread_mutex_unlock(&r));
  show("cond recursive unlock 2", pthread_mutex_unlock(&r));
  show("cond recursive unlock 3", pthread_mutex_unlock(&r));
  show("cond destroy", pthread_cond_destroy(&c));
  pthread_mutex_destroy(&e);
  pthread_mutex_destroy(&r);
}

/* A condition variable destroyed while a thread waits on it (timed, so
 * that the wait ends): glibc's destroy waits for the waiter and returns 0. */
typedef struct timed_waiter {
  pthread_cond_t c;
  pthread_mutex_t m;
  sem_t waiting;
  int result;
} timed_waiter;

static void *wait_timed(void *arg) {
  timed_waiter *w = arg;
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  long nsec = deadline.tv_nsec + 20 * 1000 * 1000;
  deadline.tv_sec += nsec / 1000000000;
  deadline.tv_nsec = nsec % 1000000000;
  pthread_mutex_lock(&w->m);
  sem_post(&w->waiting);
  w->result = pthread_cond_timedwait(&w->c, &w->m, &deadline);
  pthread_mutex_unlock(&w->m);
  return 0;
}

static void cond_destroy_waited_cases(void) {
  static timed_waiter w = {PTHREAD_COND_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
  sem_init(&w.waiting, 0, 0);
  pthread_t thread;
  pthread_create(&thread, 0, wait_timed, &w);
  sem_wait(&w.waiting);
  pthread_mutex_lock(&w.m); /* free again once the waiter waits */
  pthread_mutex_unlock(&w.m);
  show("cond destroy waited", pthread_cond_destroy(&w.c));
  pthread_join(thread, 0);
  /* (ETIMEDOUT, or 0 after a spurious wake-up, which POSIX allows) */
  show("cond destroy waiter returned", w.result == ETIMEDOUT || w.result == 0);
  sem_destroy(&w.waiting);
}

static void sem_cases(void) {
  sem_t s;
  show_sem("sem init too large", sem_init(&s, 0, (unsigned)SEM_VALUE_MAX + 1));
  show_sem("sem init", sem_init(&s, 0, 1));
  show_sem("sem trywait", sem_trywait(&s));
  show_sem("sem trywait empty", sem_trywait(&s));
  show_sem("sem timedwait empty past", sem_timedwait(&s, &past));
  show_sem("sem timedwait empty bad nsec", sem_timedwait(&s, &bad_nsec));
  show_sem("sem clockwait empty bad clock", sem_clockwait(&s, CLOCK_PROCESS_CPUTIME_ID, &past));
  show_sem("sem post", sem_post(&s));
  show_sem("sem timedwait full bad nsec", sem_timedwait(&s, &bad_nsec));
  show_sem("sem post again", sem_post(&s));
  show_sem("sem clockwait full bad clock", sem_clockwait(&s, CLOCK_PROCESS_CPUTIME_ID, &past));
  show_sem("sem post 3", sem_post(&s));
  int value = -1;
  sem_getvalue(&s, &value);
  show("sem value", value);
  show_sem("sem destroy", sem_destroy(&s));
  show_sem("sem init max", sem_init(&s, 0, SEM_VALUE_MAX));
  show_sem("sem post at max", sem_post(&s));
  sem_getvalue(&s, &value);
  show("sem value at max", value == SEM_VALUE_MAX);
  show_sem("sem destroy max", sem_destroy(&s));
}

static void barrier_cases(void) {
  pthread_barrier_t b;
  show("barrier init 0", pthread_barrier_init(&b, 0, 0));
  show("barrier init 1", pthread_barrier_init(&b, 0, 1));
  show("barrier wait 1", pthread_barrier_wait(&b) == PTHREAD_BARRIER_SERIAL_THREAD);
  show("barrier wait 1 again", pthread_barrier_wait(&b) == PTHREAD_BARRIER_SERIAL_THREAD);
  show("barrier destroy", pthread_barrier_destroy(&b));
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  mutex_cases("normal", PTHREAD_MUTEX_NORMAL, 0);
  mutex_cases("default", PTHREAD_MUTEX_DEFAULT, 0);
  mutex_cases("errorcheck", PTHREAD_MUTEX_ERRORCHECK, 0);
  mutex_cases("recursive", PTHREAD_MUTEX_RECURSIVE, 0);
  mutex_cases("robust normal", PTHREAD_MUTEX_NORMAL, ROBUST);
  mutex_cases("robust errorcheck", PTHREAD_MUTEX_ERRORCHECK, ROBUST);
  mutex_cases("robust recursive", PTHREAD_MUTEX_RECURSIVE, ROBUST);
  owner_died_cases("dead owner's robust normal", PTHREAD_MUTEX_NORMAL);
  owner_died_cases("dead owner's robust recursive", PTHREAD_MUTEX_RECURSIVE);
  owner_died_waiter_cases("waited-for dead owner's robust normal", PTHREAD_MUTEX_NORMAL);
  owner_died_waiter_cases("waited-for dead owner's robust errorcheck", PTHREAD_MUTEX_ERRORCHECK);
  mutex_cases("pi normal", PTHREAD_MUTEX_NORMAL, PRIO_INHERIT);
  mutex_cases("pi errorcheck", PTHREAD_MUTEX_ERRORCHECK, PRIO_INHERIT);
  mutex_cases("pi recursive", PTHREAD_MUTEX_RECURSIVE, PRIO_INHERIT);
  /* (Priority-protect mutexes are left out: whether glibc's lock may raise
   * the thread's priority to the ceiling depends on the machine.) */
  mutex_cases("robust pi errorcheck", PTHREAD_MUTEX_ERRORCHECK, ROBUST | PRIO_INHERIT);
  garbage_mutex_cases();
  reassigned_mutex_cases();
  rwlock_cases("rwlock", PTHREAD_RWLOCK_PREFER_READER_NP);
  rwlock_cases("writer-preferring rwlock", PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  cond_cases();
  cond_destroy_waited_cases();
  sem_cases();
  barrier_cases();
  return 0;
}
