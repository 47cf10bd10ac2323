/* sync/objects.h — the typed synchronisation objects the runtime models, and
 * their registry by address (sync.c).
 *
 * Every object kind has its own struct whose first member is the common
 * header `rc_sync` (kind, lock identity, address): the registry finds any
 * object by address through the header, and each kind's model
 * (sync/mutex.c, rwlock.c, cond.c, semaphore.c, barrier.c, once.c,
 * futex.c) casts it to its own struct once the kind matches. Nothing in an
 * object's struct is shared with another kind. Threads (sync/thread.c) are
 * not in the registry: their object is the rc_thread of core/runtime.h,
 * found by pthread_t.
 *
 * Conventions of the model functions (sync/models.h): `deadline` is 0 to
 * wait forever, 1 not to wait at all (try), else the virtual time in ns at
 * which the wait times out (sched/virtual_time.c). Happens-before on the
 * objects' clocks follows FastTrack (rc_hb_* in core/runtime.h). */
#ifndef RACECHECK_SYNC_OBJECTS_H
#define RACECHECK_SYNC_OBJECTS_H

#include "core/runtime.h"

/* The common header. invariant: first member of every object struct. */
typedef struct rc_sync {
  rc_sync_kind kind;
  uint32_t lock_id; /* UINT32_MAX when the object has no identity (yet) */
  uintptr_t addr;
} rc_sync;

/* pthread mutexes and spinlocks; `type` is one of rc_mutex_type. */
typedef enum rc_mutex_type {
  RC_MUTEX_NORMAL = 0,
  RC_MUTEX_RECURSIVE = 1,
  RC_MUTEX_ERRORCHECK = 2,
  RC_MUTEX_SPIN = 4
} rc_mutex_type;
typedef struct rc_mutex {
  rc_sync hdr;
  rc_mutex_type type;
  uint32_t recursion; /* depth of the owner's holds (recursive mutex) */
  rc_thread *owner;
  rc_vc clock; /* release clock */
  /* The thread whose clock `clock` is a copy of (its latest release), or
   * null: that thread's own clock only grows, so it already holds all of
   * `clock` and its re-lock acquires nothing. */
  rc_thread *clock_copied_from;
} rc_mutex;

/* Reader-writer locks: readers acquire from the last writer; a writer also
 * from every reader since then (read_clock). */
typedef struct rc_rwlock {
  rc_sync hdr;
  int preference;           /* glibc's __flags: the attr's kind */
  uint32_t readers;         /* read holds */
  uint32_t writers_waiting; /* for writer preference */
  rc_thread *owner;         /* the writer */
  rc_vc clock;              /* the writers' releases */
  rc_vc read_clock;         /* the readers' releases since the last writer */
  /* Bit `tid` (below 64): that thread's clock already holds all of
   * `clock` (it released or acquired it since the last write, and a
   * thread's clock only grows), so its next acquisition of it is a no-op. */
  uint64_t clock_known_by;
} rc_rwlock;

typedef struct rc_cond {
  rc_sync hdr;
  rc_vc clock;       /* every signal and broadcast, joined */
  rc_vc order_clock; /* the same in sync-order clocks (detect/lock_order.c) */
  const void *wait_mutex; /* the mutex of the latest wait (misuse checks) */
  uint32_t n_waiting;     /* waits begun and not yet returned */
  bool destroying;        /* a destroy waits for n_waiting to reach 0 */
} rc_cond;

typedef struct rc_sem {
  rc_sync hdr;
  int64_t value;
  rc_vc clock;       /* every post, joined */
  rc_vc order_clock; /* the same in sync-order clocks (detect/lock_order.c) */
} rc_sem;

/* All-to-all happens-before per round. */
typedef struct rc_barrier {
  rc_sync hdr;
  uint32_t arrived;    /* this round's arrivals so far */
  uint32_t limit;      /* threads per round */
  uint64_t generation; /* completed rounds */
  uint32_t leaving;    /* woken by the last round, not yet returned */
  bool destroying;     /* a destroy waits for leaving to be 0 */
  rc_vc arrivals;      /* this round's arrivals' clocks, joined */
  rc_vc done;          /* the last completed round's, which waiters acquire */
  rc_vc order_arrivals, order_done; /* the same in sync-order clocks */
} rc_barrier;

/* pthread_once and C++ static guards: run once, others wait for the
 * runner. A guard's "done" lives in the guard variable itself. */
typedef enum rc_once_state {
  RC_ONCE_NOT_RUN = 0,
  RC_ONCE_RUNNING = 1,
  RC_ONCE_DONE = 2
} rc_once_state;
typedef struct rc_once {
  rc_sync hdr;
  rc_once_state state; /* pthread_once only */
  rc_thread *owner;    /* the thread running the initialiser */
  rc_vc clock;         /* the runner's (or a failed attempt's) release */
} rc_once;

typedef struct rc_futex {
  rc_sync hdr;
  rc_vc clock;       /* every wake, joined */
  rc_vc order_clock; /* the same in sync-order clocks (detect/lock_order.c) */
} rc_futex;

/* File descriptors (sync/fd.c) are not in the registry either: they are
 * found by number. A channel's sync is what its writers release and its
 * readers acquire: one per pipe or socketpair (both ends), per eventfd, and
 * one shared by all sockets and one by all opened files (as TSan's fd
 * model); dup'ed descriptors share their original's. */
typedef struct rc_fd_sync {
  rc_vc clock;
  rc_vc order_clock; /* the same in sync-order clocks (detect/lock_order.c) */
  uint32_t refs;     /* descriptors sharing it; UINT32_MAX: never freed */
} rc_fd_sync;
typedef enum rc_fd_state {
  RC_FD_UNSEEN = 0, /* no call on it seen yet */
  RC_FD_OPEN,
  RC_FD_CLOSED /* closed by a call racecheck saw */
} rc_fd_state;
typedef struct rc_fd {
  rc_fd_sync *sync; /* null: its I/O orders nothing */
  uint8_t kind;     /* enum rc_record_fd_kind */
  uint8_t state;    /* rc_fd_state */
} rc_fd;

/* ---- the registry (sync.c) ---- */
/* The object at `addr`, created on first use; an object of another kind
 * there (memory reused without a destroy call) is replaced. */
rc_sync *rc_sync_get(const void *addr, rc_sync_kind kind);
rc_sync *rc_sync_find(const void *addr);
/* End the identity (destroy): a later object at the address is a new one. */
void rc_sync_destroy(const void *addr);

/* Typed lookups: find returns null unless the object is of that kind. */
#define RC_SYNC_TYPED(type, name, kind_value)                                  \
  static inline type *name##_get(const void *addr) {                           \
    return (type *)rc_sync_get(addr, kind_value);                              \
  }                                                                            \
  static inline type *name##_find(const void *addr) {                          \
    rc_sync *s = rc_sync_find(addr);                                           \
    return s && s->kind == kind_value ? (type *)s : 0;                         \
  }
RC_SYNC_TYPED(rc_mutex, rc_mutex, RC_SYNC_MUTEX)
RC_SYNC_TYPED(rc_rwlock, rc_rwlock, RC_SYNC_RWLOCK)
RC_SYNC_TYPED(rc_cond, rc_cond, RC_SYNC_COND)
RC_SYNC_TYPED(rc_sem, rc_sem, RC_SYNC_SEM)
RC_SYNC_TYPED(rc_barrier, rc_barrier, RC_SYNC_BARRIER)
RC_SYNC_TYPED(rc_once, rc_once, RC_SYNC_ONCE)
RC_SYNC_TYPED(rc_once, rc_guard, RC_SYNC_GUARD)
RC_SYNC_TYPED(rc_futex, rc_futex, RC_SYNC_FUTEX)
#undef RC_SYNC_TYPED

/* What the scheduler and the detectors ask of any object: the thread
 * holding it (mutex, spinlock, rwlock writer, once or guard runner), its
 * read holds (rwlock) and its count (a semaphore's value, a barrier's
 * arrivals, a once's state); 0 where the kind has none. */
rc_thread *rc_sync_owner(const rc_sync *s);
uint32_t rc_sync_readers(const rc_sync *s);
int64_t rc_sync_count(const rc_sync *s);

/* Give `s` a lock identity (dense id, name, site, stack, creator, ordinal). */
void rc_sync_assign_identity(rc_sync *s, const char *kind_name,
                             const rc_site *site);
/* Held-lock bookkeeping on the thread (lockset and held[]). */
void rc_held_add(rc_thread *t, uint32_t lock_id, const rc_site *site,
                 bool write);
void rc_held_remove(rc_thread *t, uint32_t lock_id);
/* Whether `t` holds `lock_id` for reading (an rwlock read hold). */
bool rc_held_for_read(const rc_thread *t, uint32_t lock_id);
/* The longest-waiting thread blocked on `object` that was not yet
 * signalled (FIFO by wait_ticket), or null. */
rc_thread *rc_oldest_waiter(const void *object);
/* Set once a waiting thread is enabled to run a signal handler
 * (sync/signals.c): until then a waiter is exactly a blocked thread. */
extern bool rc_waiter_woken_for_signal;
/* The name racecheck_lock_name gave the lock at `addr`: reports use it
 * instead of the global holding the lock. */
void rc_sync_name_lock(const void *addr, const char *name);
/* Per-address clock of atomic operations (atomics.c, guard release). */
rc_vc *rc_atomic_clock(const void *addr);
/* A one-hash Bloom filter over the addresses that ever had an atomic
 * clock: most atomic operations (relaxed counters, flags nothing released
 * into) have none, and the filter says so with a multiplication and a bit
 * test, inline, instead of a map probe. A bit is set when a clock is made
 * and never cleared, so a clear bit proves there is no clock; a set bit (a
 * clock, a forgotten one or another address in the bucket) asks the map. */
enum { RC_ATOMIC_FILTER_BITS = 16 };
extern uint64_t rc_atomic_filter[(1u << RC_ATOMIC_FILTER_BITS) / 64];
/* No clock was made yet: a program whose atomics are all relaxed (counters,
 * a histogram's bins) never asks the filter, whose random bit tests miss the
 * cache on a large table as often as the bins do. */
extern bool rc_atomic_filter_empty;
static inline uint32_t rc_atomic_filter_bit(const void *addr) {
  return (uint32_t)(((uint64_t)(uintptr_t)addr * 0x9e3779b97f4a7c15ULL) >>
                    (64 - RC_ATOMIC_FILTER_BITS));
}
rc_vc *rc_atomic_clock_find_slow(const void *addr);
/* Whether `addr` may have a clock: false for sure when it has none. */
static inline bool rc_atomic_clock_may_exist(const void *addr) {
  if (RC_LIKELY(rc_atomic_filter_empty))
    return false;
  uint32_t bit = rc_atomic_filter_bit(addr);
  return rc_atomic_filter[bit / 64] >> (bit % 64) & 1;
}
/* The clock of `addr` if one was ever made, else null (nothing released
 * there: reading it joins nothing). */
static inline rc_vc *rc_atomic_clock_find(const void *addr) {
  if (RC_LIKELY(!rc_atomic_clock_may_exist(addr)))
    return 0;
  return rc_atomic_clock_find_slow(addr);
}

#endif /* RACECHECK_SYNC_OBJECTS_H */
