/* sync/models.h — the operations of the typed sync objects
 * (sync/objects.h), one group per object file in sync/. The interceptors
 * (intercept/) decode libc's arguments and call these; each operation is
 * the object's state machine under the scheduler: it makes the scheduling
 * point, blocks the caller while the object says so, moves happens-before
 * and reports lock events (sync/lock_events.h).
 *
 * `deadline`: 0 waits forever, 1 does not wait (try), else the virtual time
 * at which the wait times out (sched/virtual_time.h). Return values are
 * errno values (0 on success) unless said otherwise. Every operation runs
 * on the calling thread, which holds the run token. */
#ifndef RACECHECK_SYNC_MODELS_H
#define RACECHECK_SYNC_MODELS_H

#include "sched/scheduler.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

/* How a request with this deadline may wait (for lock order). */
rc_lock_wait rc_lock_wait_for(uint64_t deadline);
/* One failed attempt of `t`'s request for the lock `lock_id` at `addr`
 * (`op` at `site`): a try ends with `busy_error`; otherwise `t` blocks until
 * woken or the deadline passes and makes its scheduling point again, and
 * 0 means "look again" (t->timed_out says whether the deadline passed). */
int rc_lock_retry(rc_thread *t, uint32_t lock_id, rc_op_kind op, void *addr,
                  uint64_t deadline, int busy_error, const rc_site *site);

/* glibc's checks of an absolute time-out: the clocks its timed waits take,
 * and EINVAL for another clock or nanoseconds outside [0, 1e9), else 0. */
static inline bool rc_clock_waitable(clockid_t clock) {
  return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC;
}
static inline int rc_abstime_error(clockid_t clock,
                                   const struct timespec *abstime) {
  bool ns_ok = abstime->tv_nsec >= 0 && abstime->tv_nsec < 1000000000;
  return rc_clock_waitable(clock) && ns_ok ? 0 : EINVAL;
}

/* ---- mutex.c: mutexes and spinlocks ---- */
/* The type glibc's pthread_mutex_t at `addr` has (adaptive is normal), and
 * whether its kind is one glibc accepts (else its calls fail with EINVAL). */
rc_mutex_type rc_mutex_glibc_type(const void *addr);
bool rc_mutex_glibc_kind_valid(const void *addr);
/* A new lock at `addr` (init): any earlier one there is forgotten. */
void rc_mutex_init(void *addr, rc_mutex_type type, const rc_site *site);
/* Forgets the lock (after glibc's destroy agreed: it counts the users the
 * model keeps in glibc's fields). */
/* `destroyed`: glibc's destroy succeeded (it refuses a locked mutex); a
 * misuse is reported either way. */
void rc_mutex_destroy(void *addr, bool destroyed);
/* `busy_error` is what a try or timeout returns when the owner locks again
 * (EBUSY for trylock, ETIMEDOUT for a timed lock). */
int rc_mutex_lock(void *addr, rc_mutex_type type, uint64_t deadline,
                  int busy_error, const rc_site *site);
/* EPERM when a recursive, errorcheck, robust or PI mutex is not the caller's;
 * glibc unlocks any other, held or not. */
int rc_mutex_unlock(void *addr, rc_mutex_type type, const rc_site *site);
/* For a condition wait: the mutex at `addr` if `t` holds it, else null;
 * rc_mutex_for_wait also gives a normal mutex not held by `t` (glibc
 * unlocks it anyway and locks it after the wait); releasing it completely
 * (returns the recursion depth to restore) and locking it again after the
 * wait. */
rc_mutex *rc_mutex_held_by(void *addr, rc_thread *t);
rc_mutex *rc_mutex_for_wait(void *addr, rc_thread *t, const rc_site *site);
uint32_t rc_mutex_release_for_wait(rc_mutex *m, rc_thread *t);
/* EOWNERDEAD when it took a robust mutex whose owner ended, else 0. */
int rc_mutex_relock_after_wait(rc_mutex *m, rc_thread *t, uint32_t recursion,
                               const rc_site *site);
/* A thread ending: the first lock it still holds whose holding is a
 * misuse (robust mutexes are made for owners that end), else UINT32_MAX;
 * and, once it is finished, the wake-up of the threads blocked on the
 * robust mutexes it holds: one of them gets each with EOWNERDEAD, as the
 * kernel's robust list does for glibc. */
uint32_t rc_mutex_abandoned_lock(const rc_thread *t);
void rc_mutex_owner_ended(rc_thread *t);

/* ---- rwlock.c: reader-writer locks; `preference` is glibc's kind ---- */
void rc_rwlock_init(void *addr, int preference, const rc_site *site);
void rc_rwlock_destroy(void *addr); /* glibc's never refuses */
/* For writing when `write`, else for reading. */
int rc_rwlock_lock(void *addr, int preference, bool write, uint64_t deadline,
                   int busy_error, const rc_site *site);
int rc_rwlock_unlock(void *addr, const rc_site *site);

/* ---- cond.c: condition variables ---- */
void rc_cond_init(void *addr, const rc_site *site);
void rc_cond_destroy(void *addr); /* returns once no thread waits */
/* EPERM when `mutex` is a recursive, errorcheck or robust one the caller
 * does not hold (as glibc's unlock); ETIMEDOUT after the deadline. */
int rc_cond_wait(void *addr, void *mutex, uint64_t deadline,
                 const rc_site *site);
/* signal (all = false) or broadcast */
void rc_cond_wake(void *addr, bool all, const rc_site *site);

/* ---- semaphore.c ---- */
/* A semaphore at `addr` holding `value` permits, with its identity. */
rc_sem *rc_sem_create(void *addr, int64_t value, const rc_site *site);
/* `busy_errno` is a failed try's error (EAGAIN). */
int rc_sem_wait(rc_sem *s, uint64_t deadline, int busy_errno,
                const rc_site *site);
/* EOVERFLOW at SEM_VALUE_MAX permits. */
int rc_sem_post(rc_sem *s, const rc_site *site);

/* ---- barrier.c ---- */
void rc_barrier_init(void *addr, uint32_t limit, const rc_site *site);
void rc_barrier_destroy(void *addr); /* returns once released ones left */
/* PTHREAD_BARRIER_SERIAL_THREAD for the last arrival, else 0. */
int rc_barrier_wait(rc_barrier *b, const rc_site *site);

/* ---- once.c: pthread_once and static guards ---- */
/* Runs `init` unless done (`done_before`: libc's control word says so on
 * first sight); true when this call ran it to completion. */
bool rc_once_run(void *control, bool done_before, void (*init)(void),
                 const rc_site *site);
/* True when the caller is to run the initialiser (then release or abort). */
bool rc_guard_acquire(void *guard, const rc_site *site);
void rc_guard_release(rc_once *g);
void rc_guard_abort(rc_once *g);

/* ---- futex.c: results as the raw syscall's (negated errno) ---- */
long rc_futex_model_wait(uint32_t *addr, uint32_t expected,
                         const struct timespec *timeout, bool absolute,
                         clockid_t clock, uint32_t bitset, const rc_site *site);
long rc_futex_model_wake(uint32_t *addr, int count, uint32_t bitset,
                         const rc_site *site);

/* ---- fd.c: file descriptors (as TSan's fd model) ----
 * A descriptor is a location of the race check (detect/fd_locations.c):
 * closing or replacing it writes it, I/O on it reads it. Its channel's
 * clock carries happens-before from the calls that send data to the calls
 * that receive it. Descriptors past the tracked range are ignored. */
/* `fd` was just created by a call of this kind (open, socket, eventfd...). */
void rc_fd_created(rc_thread *t, int fd, enum rc_record_fd_kind kind,
                   const rc_site *site);
/* Both ends of one new channel (pipe, socketpair). */
void rc_fd_pair_created(rc_thread *t, int fd0, int fd1,
                        enum rc_record_fd_kind kind, const rc_site *site);
/* `newfd` now refers to what `oldfd` does (dup, dup2, dup3, F_DUPFD); an open
 * `newfd` was closed by it first. */
void rc_fd_dup(rc_thread *t, int oldfd, int newfd, const rc_site *site);
/* Before close: a write of the descriptor and a release of its channel
 * (a reader seeing end-of-file has seen everything before the close). */
void rc_fd_close(rc_thread *t, int fd, const rc_site *site);
/* Before a call that sends data (write, send, pwrite...): a read of the
 * descriptor and a release of its channel. */
void rc_fd_send(rc_thread *t, int fd, const rc_site *site);
/* Before a call that receives (read, recv, accept...): a read of the
 * descriptor; after it returned `result`, rc_fd_received acquires the
 * channel unless it failed (end-of-file included: it follows a close). */
void rc_fd_receive(rc_thread *t, int fd, const rc_site *site);
void rc_fd_received(rc_thread *t, int fd, long result);
/* connect: a send on `fd` that every later accept receives. */
void rc_fd_connect(rc_thread *t, int fd, const rc_site *site);
/* After accept on `fd` returned `newfd` (< 0: failed). */
void rc_fd_accepted(rc_thread *t, int fd, int newfd, const rc_site *site);
/* In a fork child: its descriptor table is its own copy, which the
 * parent's other threads never touch, so their uses are forgotten. */
void rc_fd_after_fork_child(void);

/* ---- thread.c: the thread lifecycle (created, running, finished;
 * joinable, detached, joined) ---- */
typedef int (*rc_real_pthread_create)(pthread_t *, const pthread_attr_t *,
                                      void *(*)(void *), void *);
/* Creates the thread through `real_create` (libc's), started in the
 * model's trampoline: it runs `start_routine` once the scheduler picks it
 * and finishes under the token. `real_create`'s result. */
int rc_thread_create(pthread_t *thread, const pthread_attr_t *attr,
                     bool detached, void *(*start_routine)(void *), void *arg,
                     rc_real_pthread_create real_create, const rc_site *site);
/* The modelled, not yet joined thread of `thread`; null when the caller is
 * not modelled or the thread unknown (then libc handles the call). */
rc_thread *rc_thread_of(pthread_t thread);
/* Waits for `target` to finish and takes its end: EDEADLK for the caller
 * itself, EINVAL when detached, EBUSY (try) or ETIMEDOUT when it has not
 * finished by the deadline. On 0 the caller reaps the real thread. */
int rc_thread_join(rc_thread *target, uint64_t deadline, const rc_site *site);
void rc_thread_detach(rc_thread *target);
/* pthread_exit's part before the real one unwinds the thread. */
void rc_thread_exit(rc_thread *t, void *retval);
/* `t` ends by a raw exit system call: finished at once, no destructors
 * run (as natively); the caller then makes the call. */
void rc_thread_exit_raw(rc_thread *t);
/* The destructor run for `key` at thread end (null: none). */
void rc_thread_key_destructor(pthread_key_t key, void (*destructor)(void *));
/* A thread_local destructor of `t`, run at its end while scheduled. */
void rc_thread_at_exit(rc_thread *t, void (*fn)(void *), void *obj);
/* ---- cancel.c: pthread_cancel (rc_cancel_due and rc_cancel_point, the
 * cancellation points, are in sched/scheduler.h) ---- */
/* Marks `target` canceled and ends its wait if it blocks at a
 * cancellation point. */
void rc_cancel_request(rc_thread *target);
/* pthread_setcancelstate / pthread_setcanceltype of `t` (libc's values). */
void rc_cancel_set_state(rc_thread *t, int state);
void rc_cancel_set_type(rc_thread *t, int type);

/* In a fork child: the other threads do not exist there. */
void rc_threads_after_fork_child(void);

#endif /* RACECHECK_SYNC_MODELS_H */
