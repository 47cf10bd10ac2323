/* core/runtime.h — shared types of the racecheck runtime (not part of the ABI).
 *
 * Design in one paragraph: the program runs on its real threads, but exactly
 * one of them holds the run token at a time (g_rt.current). Every visible
 * operation (synchronisation, atomics, yields, sleeps, and a forced point every
 * `preempt_budget` instrumented events) is a scheduling point where the
 * strategy picks the next thread among the enabled ones. Blocking primitives
 * are modelled here (ownership, wait queues), never forwarded to a real
 * blocking call while the token is held. Because execution is serialized, the
 * runtime's own tables need no locks; only the hand-over of the token and the
 * return of threads from real I/O use atomics.
 *
 * Happens-before: vector clocks (FastTrack, Flanagan & Freund, PLDI'09).
 * Shadow memory keeps per 8-byte granule a few cells (epoch, byte mask, kind,
 * site, stack id, lockset id) so both accesses of a race are reported exactly.
 *
 * Everything is C11, built without instrumentation, allocates only from its
 * own mmap arena (rt_alloc.c) and never calls instrumented code except the
 * user's own callbacks (thread start routines, once/guard initialisers,
 * signal handlers, destructors), always while holding the token.
 */
#ifndef RACECHECK_RT_INTERNAL_H
#define RACECHECK_RT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "racecheck/interface.h"
#include "racecheck/record_format.h"

typedef struct __racecheck_site rc_site;

#define RC_LIKELY(x) __builtin_expect(!!(x), 1)
#define RC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define RC_INTERFACE __attribute__((visibility("default")))
/* An interceptor of a libc/libpthread name is a weak definition, as TSan's:
 * a program that defines a function or variable of the same name (a global
 * `send`, its own `read`) links, and its definition wins for every caller,
 * as it would natively. Interceptors reach libc through dlsym(RTLD_NEXT),
 * which looks past the executable, so they still find the real function. */
#define RC_INTERCEPT __attribute__((visibility("default"), weak))

/* Cheap invariant checks stay on in release builds; hot-path ones are debug. */
/* diagnostics.c: "racecheck: ..." on stderr; rc_fatal exits with status 2,
 * rc_verbose writes only with option verbose. */
void rc_fatal(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));
void rc_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "racecheck: <fmt formatted into buf>\n" on stderr (for callers that need a
 * bigger buffer than rc_fatal's). */
void rc_write_message(char *buf, size_t size, const char *fmt, va_list ap);
/* The same, then exit status 2, as rc_fatal. */
void rc_vfatal(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((noreturn));
#define RC_CHECK(cond)                                                         \
  do {                                                                         \
    if (RC_UNLIKELY(!(cond)))                                                  \
      rc_fatal("internal check failed: %s (%s:%d)", #cond, __FILE__,           \
               __LINE__);                                                      \
  } while (0)
#ifdef RC_DEBUG
#define RC_DCHECK(cond) RC_CHECK(cond)
#else
#define RC_DCHECK(cond) ((void)0)
#endif

/* ---- rt_alloc.c: the runtime's own memory (mmap arena; never malloc). ---- */
void *rc_alloc(size_t size); /* zeroed, 16-byte aligned */
void *rc_realloc(void *p, size_t old_size, size_t new_size);
void rc_free(void *p, size_t size);
char *rc_strdup(const char *s);

/* ---- rt_hash.c: open-addressing map from a 64-bit key to a pointer. ---- */
typedef struct rc_map {
  uint64_t *keys; /* 0 = empty; callers never use key 0 */
  void **values;
  size_t cap, count, tombstones;
} rc_map;
void **rc_map_find(rc_map *m, uint64_t key);   /* null when absent */
void **rc_map_insert(rc_map *m, uint64_t key); /* slot, created with null */
void rc_map_erase(rc_map *m, uint64_t key);
uint64_t rc_hash64(uint64_t x);

/* The value of the `size`-byte (at most 8) location `addr`, zero-extended
 * (little endian). Fixed-size loads: a copy of a variable size is a call
 * into libc's memmove, which an atomic operation's hooks would pay twice. */
static inline uint64_t rc_load_value(const void *addr, unsigned size) {
  uint64_t v = 0;
  switch (size) {
  case 1: __builtin_memcpy(&v, addr, 1); break;
  case 2: __builtin_memcpy(&v, addr, 2); break;
  case 4: __builtin_memcpy(&v, addr, 4); break;
  case 8: __builtin_memcpy(&v, addr, 8); break;
  default: __builtin_memcpy(&v, addr, size < 8 ? size : 8); break;
  }
  return v;
}

/* ---- vector_clock.c ---- */
typedef uint32_t rc_tid;   /* dense thread ordinal: T0 is main */
typedef uint32_t rc_clock; /* per-thread logical time */
typedef struct rc_vc {
  rc_clock *c;
  uint32_t n, cap;
} rc_vc;
/* A clock has one entry per slot, not per thread: a new thread takes the
 * slot of a finished one whose whole history its creator already knows,
 * and its epochs go on from where that thread's ended (as ThreadSanitizer
 * reuses the slots of joined threads), so clocks stay as wide as the
 * threads alive together, not as the threads ever created. Knowing an
 * epoch of the slot's new thread implies knowing all of the old one, which
 * is exactly true. Tids never mapped (unit tests) are their own slot. */
typedef struct rc_clock_slots {
  uint32_t *of; /* slot of each tid below n_mapped */
  uint32_t n_mapped, cap;
  uint32_t next; /* slots handed out so far */
} rc_clock_slots;
extern rc_clock_slots rc_clock_slot_map;
static inline uint32_t rc_vc_slot(rc_tid t) {
  return t < rc_clock_slot_map.n_mapped ? rc_clock_slot_map.of[t] : t;
}
void rc_vc_init(rc_vc *vc);
void rc_vc_destroy(rc_vc *vc);
static inline rc_clock rc_vc_get(const rc_vc *vc, rc_tid t) {
  uint32_t slot = rc_vc_slot(t);
  return slot < vc->n ? vc->c[slot] : 0;
}
void rc_vc_set(rc_vc *vc, rc_tid t, rc_clock value);
void rc_vc_join(rc_vc *dst, const rc_vc *src);
void rc_vc_copy(rc_vc *dst, const rc_vc *src);
void rc_vc_clear(rc_vc *vc);
bool rc_vc_leq(const rc_vc *a,
               const rc_vc *b); /* a happens-before-or-equal b */
struct rc_thread;
/* After every change of t's own clock entry (creation, each release): keeps
 * t->epoch_cell (vector_clock.c). */
void rc_thread_epoch_changed(struct rc_thread *t);
/* A release: t's own clock entry moves on. */
void rc_thread_tick(struct rc_thread *t);
/* A new thread's clock slot (rc_clock_slots), before any clock entry of it
 * is set: a finished thread's when `parent` knows all of that thread, else
 * a fresh one; sets t's floors, the old thread's last own entries. */
void rc_thread_take_clock_slot(struct rc_thread *t,
                               const struct rc_thread *parent);
/* A finished thread's slot may serve a later thread: its last own entries
 * are taken now (a join frees its clocks). */
void rc_thread_release_clock_slot(const struct rc_thread *t);

/* ---- history.c: interned call stacks and held-lock sets. ----
 * A stack is a node in a trie of frames: (parent, function, call site). The
 * thread keeps its current node, so recording the stack of an access costs one
 * 32-bit copy. Node 0 is the empty stack. Lock sets are interned sorted arrays
 * of lock ids; id 0 is the empty set. */
typedef uint32_t rc_stack_id;
typedef uint32_t rc_lockset_id;
typedef struct rc_stack_node {
  rc_stack_id parent;
  uint32_t depth;
  const rc_site *function;  /* the callee's own position */
  const rc_site *call_site; /* where it was called from; null if unknown */
} rc_stack_node;
rc_stack_id rc_stack_push(rc_stack_id parent, const rc_site *function,
                          const rc_site *call_site);
const rc_stack_node *rc_stack_node_get(rc_stack_id id);
rc_lockset_id rc_lockset_with(rc_lockset_id set, uint32_t lock_id);
rc_lockset_id rc_lockset_without(rc_lockset_id set, uint32_t lock_id);
const uint32_t *rc_lockset_get(rc_lockset_id id, uint32_t *count);
/* Same sets, but each member also remembers where it was acquired (for the
 * record's `lockset` entries). rc_lockset_with(set, id) is the same as
 * rc_lockset_with_held with site null, stack 0 and write = true. The held
 * array returned by rc_lockset_get_held is parallel to rc_lockset_get's. */
struct rc_held_lock;
rc_lockset_id rc_lockset_with_held(rc_lockset_id set,
                                   const struct rc_held_lock *held);
const struct rc_held_lock *rc_lockset_get_held(rc_lockset_id id,
                                               uint32_t *count);

/* ---- threads ---- */
typedef enum rc_thread_status {
  RC_THREAD_CREATED, /* real thread exists, has not run yet */
  RC_THREAD_ENABLED, /* can run its pending operation */
  RC_THREAD_BLOCKED, /* pending operation cannot complete yet */
  RC_THREAD_OUTSIDE, /* left the serialized region (real I/O wait) */
  RC_THREAD_FINISHED /* start routine and destructors done */
} rc_thread_status;

/* The visible operation a thread is about to perform; strategies see these. */
typedef enum rc_op_kind {
  RC_OP_NONE = 0,
  RC_OP_THREAD_START,
  RC_OP_THREAD_CREATE,
  RC_OP_THREAD_JOIN,
  RC_OP_THREAD_EXIT,
  RC_OP_MUTEX_LOCK,
  RC_OP_MUTEX_TRYLOCK,
  RC_OP_MUTEX_UNLOCK,
  RC_OP_RWLOCK_RDLOCK,
  RC_OP_RWLOCK_WRLOCK,
  RC_OP_RWLOCK_TRYRDLOCK,
  RC_OP_RWLOCK_TRYWRLOCK,
  RC_OP_RWLOCK_UNLOCK,
  RC_OP_COND_WAIT,
  RC_OP_COND_SIGNAL,
  RC_OP_COND_BROADCAST,
  RC_OP_SEM_WAIT,
  RC_OP_SEM_TRYWAIT,
  RC_OP_SEM_POST,
  RC_OP_BARRIER_WAIT,
  RC_OP_ONCE,
  RC_OP_GUARD_ACQUIRE,
  RC_OP_GUARD_RELEASE,
  RC_OP_FUTEX_WAIT,
  RC_OP_FUTEX_WAKE,
  RC_OP_ATOMIC_LOAD,
  RC_OP_ATOMIC_STORE,
  RC_OP_ATOMIC_RMW,
  RC_OP_ATOMIC_CMPXCHG,
  RC_OP_ATOMIC_FENCE,
  RC_OP_YIELD,
  RC_OP_SLEEP,
  RC_OP_PREEMPT,
  RC_OP_IO_RETURN,
  RC_OP_SPIN_WAIT,
  RC_OP_MEMORY_ACCESS,   /* race-directed phase 2: a plain access at a target */
  RC_OP_SPURIOUS_WAKEUP, /* a cond/futex wait returns without a wake-up */
  RC_OP_SYSCALL,         /* a wait in the kernel no interceptor models */
  RC_OP_COUNT
} rc_op_kind;
const char *rc_op_name(rc_op_kind kind);

typedef struct rc_pending_op {
  rc_op_kind kind;
  const void *object;  /* address of the lock/cond/atomic..., or null */
  const rc_site *site; /* innermost instrumented position, may be null */
} rc_pending_op;

typedef struct rc_held_lock {
  uint32_t lock_id;
  const rc_site *site; /* acquisition position */
  rc_stack_id stack;   /* acquisition stack */
  bool write;          /* false for a read-held rwlock */
} rc_held_lock;

typedef struct rc_thread {
  rc_tid tid;
  rc_tid parent; /* UINT32_MAX for T0 */
  rc_thread_status status;
  rc_vc vc; /* rc_vc_get(&vc, tid) is this thread's epoch */
  /* the last own entries of the thread whose clock slot this one took (0:
   * a fresh slot): its epochs, fork-join and sync-order entries start above
   * them (rc_clock_slots) */
  rc_clock clock_floor, fork_join_floor, sync_order_floor;
  /* atomics (C++11 fences): release-fence snapshot, pending acquire clock */
  rc_vc fence_release;
  rc_vc fence_acquire;
  bool has_fence_release;

  /* call stack: stack[depth-1] is the current trie node. frame_sp[i] is
   * the real stack address of frame i's entry hook, so that frames a longjmp
   * skipped (their exit hooks never ran) can be recognised as dead: they
   * lie below the frame that resumes. */
  rc_stack_id *stack;
  uintptr_t *frame_sp;
  uint32_t depth, stack_cap;
  rc_stack_id current_stack; /* == depth ? stack[depth-1] : 0 */
  const rc_site *last_site;  /* last instrumented position executed */

  /* locks */
  rc_held_lock *held;
  uint32_t n_held, held_cap;
  rc_lockset_id lockset;
  struct rc_lockset_steps *lockset_steps; /* sync.c, made at the first lock */

  /* scheduling */
  uint32_t budget; /* instrumented events to the next forced point */
  /* The shadow cell bits "this thread, its current epoch" (shadow.h), kept
   * by rc_thread_epoch_changed whenever its own clock entry changes, so that
   * the inline same-epoch test reads one word; a value no cell holds when
   * the tid does not fit a cell. */
  uint64_t epoch_cell;
  uint64_t plain_writes; /* instrumented plain writes so far: a loop
                            that writes is working, not spinning */
  /* racecheck_ignore_{reads,writes}_begin nesting: while not 0, the
   * thread's plain reads (writes) are neither checked nor remembered. Read
   * past the same-epoch test only, so the access fast path is unchanged. */
  uint32_t ignore_reads, ignore_writes;
  rc_pending_op pending;
  volatile uint32_t wake_word; /* futex the thread parks on */
  uint64_t timed_deadline_ns;  /* virtual deadline of a timed wait, 0 if none */
  bool timed_out;              /* set when the scheduler expired the wait */
  void *wait_object;           /* what a blocked thread waits for */
  const rc_site *wait_site;

  /* lifecycle */
  void *(*start_routine)(void *);
  void *start_arg;
  void *retval;
  bool detached, joined;
  rc_stack_id create_stack; /* stack of the pthread_create call */
  const rc_site *create_site;
  uintptr_t stack_lo, stack_hi; /* real stack + static TLS block */
  uint64_t pthread_self;

  uint32_t pending_signals; /* bit per signal 1..31, delivered at a point */
  void *user_data;          /* per-thread data for interceptor modules */

  /* lock order (lock_order.c): clock advanced only by create/join, and its
   * interned snapshot id + 1 (0: changed since the last snapshot) */
  rc_vc fork_join_vc;
  uint32_t fork_join_snapshot;
  /* the same for the sync-order clock (create/join, semaphores, conditions,
   * barriers, futexes): the object that advanced it last (lock id + 1,
   * 0: none), and whether its current epoch was released */
  rc_vc sync_order_vc;
  uint32_t sync_order_snapshot;
  uint32_t sync_order_via;
  bool sync_order_published;

  /* shadow.c: the shadow cell this thread stored or widened last and the
   * access it stands for, so that the next bytes of a byte-by-byte loop
   * widen it without the slow path's context lookups. */
  struct {
    uintptr_t granule; /* 0: none */
    const rc_site *site;
    rc_stack_id stack;
    rc_lockset_id lockset;
    rc_clock epoch;
    uint32_t size;
    uint8_t index, flags;
  } last_cell;
  /* shadow.c: the report context ids of this thread's latest accesses, by
   * site, so that a slow-path access skips the global lookup. */
  struct {
    const rc_site *site;
    rc_stack_id stack;
    rc_lockset_id lockset;
    uint32_t size;
    uint32_t id; /* 0: empty */
  } context_memo[8];
} rc_thread;

/* xoshiro256** seeded with SplitMix64: specified, library-independent. */
typedef struct rc_rng {
  uint64_t s[4];
} rc_rng;
void rc_rng_seed(rc_rng *rng, uint64_t seed);
uint64_t rc_rng_next(rc_rng *rng);
uint64_t rc_rng_below(rc_rng *rng, uint64_t bound); /* unbiased, bound > 0 */
/* The failures before the first success of independent trials that each
 * succeed with probability num/den (0 < num <= den): geometric, one draw. */
uint64_t rc_rng_geometric(rc_rng *rng, uint64_t num, uint64_t den);

/* ---- findings kept until the record is written (finding_sink.c) ---- */
typedef enum rc_finding_kind {
  RC_FINDING_DATA_RACE,
  RC_FINDING_DEADLOCK,
  RC_FINDING_LOCK_ORDER_CYCLE,
  RC_FINDING_LIVELOCK,
  RC_FINDING_STARVATION,
  RC_FINDING_CRASH,
  RC_FINDING_HANG,
  RC_FINDING_MISUSE /* a call the threads API forbids (detect/misuse.c) */
} rc_finding_kind;

typedef struct rc_access {
  rc_tid tid;
  bool write, atomic;
  uint32_t size;
  const rc_site *site;
  rc_stack_id stack;
  rc_lockset_id lockset;
} rc_access;

typedef enum rc_variable_kind {
  RC_VAR_UNKNOWN,
  RC_VAR_GLOBAL,
  RC_VAR_HEAP,
  RC_VAR_STACK,
  RC_VAR_TLS,
  RC_VAR_FD, /* a file descriptor (detect/fd_locations.c) */
  RC_VAR_MAPPING
} rc_variable_kind;

typedef struct rc_variable {
  rc_variable_kind kind;
  const char *name;    /* global: variable name; mapping: file or null */
  char field[128];     /* global: field path such as "balance" or "a[3]" */
  uint64_t offset;     /* offset of the access within the variable/block
                          (mapping: within its file, or the mapping) */
  uint64_t size;       /* size of the variable/block/mapping */
  const rc_site *site; /* global: declaration; heap: allocation; mapping:
                          the mmap call */
  rc_stack_id stack;   /* heap: allocation stack; mapping: mmap's stack */
  rc_tid tid;          /* heap: allocating thread; stack: owner; mapping:
                          the mapping thread */
  /* heap: the block was already freed when the race was found */
  bool freed;
  const rc_site *free_site; /* heap, freed: position of the free call */
  rc_stack_id free_stack;   /* heap, freed: stack of the free call */
  rc_tid free_tid;          /* heap, freed: freeing thread */
  /* fd: the descriptor and what made it; site, stack and tid are the
   * creating call's (tid UINT32_MAX: a creation racecheck did not see) */
  int32_t fd;
  enum rc_record_fd_kind fd_kind;
} rc_variable;

/* deadlock / hang: what one thread waits for (record `waiter` entries).
 * The awaited object is data (its kind and id or variable name); the
 * analyzer names it in English. */
typedef struct rc_waiter {
  rc_tid tid;
  rc_op_kind op;
  const rc_site *site;
  rc_stack_id stack;
  enum rc_record_wait_object object; /* RC_RECORD_WAIT_NONE: nothing */
  uint32_t object_id;      /* lock: lock id; thread: tid; signal: number */
  const char *object_name; /* global variable at the object, or null */
  rc_lockset_id lockset;   /* locks the waiter holds; 0: none (or unknown) */
  /* deadlock: the thread holding the awaited lock, and the locks the
   * waiter holds (the first acquired and how many) */
  bool has_holder;
  rc_tid holder;
  uint32_t n_held;
  uint32_t first_held_lock;
} rc_waiter;

/* starvation: one thread's use of the starved resource (record
 * `thread-stat` lines) */
typedef struct rc_thread_stat {
  rc_tid tid;
  uint64_t acquisitions;       /* times it acquired the resource */
  uint64_t bypasses;           /* of those, while the starved thread waited */
  uint64_t longest_wait_steps; /* its longest wait, in scheduling points */
} rc_thread_stat;

/* livelock / starvation: a named number shown with the finding (record
 * `count` lines), e.g. "repetitions", "bypasses", "waited_steps" */
typedef struct rc_finding_count {
  const char *name; /* static string, [a-z_]+ */
  uint64_t value;
} rc_finding_count;
#define RC_FINDING_MAX_COUNTS 8

/* A finding's cause (record `cause` entry): the fields of its row in
 * racecheck/record_format.h; the analyzer composes the headline from them. */
typedef struct rc_cause {
  bool set; /* false: no cause (races, lock-order cycles) */
  enum rc_record_cause kind;
  rc_tid tid; /* watchdog, starvation, crash: the thread */
  uint32_t n_values;
  uint64_t values[8];  /* the cause's numbers, in record order */
  const rc_site *site; /* max-steps: the busiest site, or null */
  const char *text;    /* terminated: the reason (user data) */
  enum rc_record_deadlock_headline headline; /* deadlock */
} rc_cause;

typedef struct rc_finding {
  rc_finding_kind kind;
  struct rc_finding *next;
  /* data race: accesses[0] is the current access, [1] the earlier one */
  rc_access accesses[2];
  rc_variable variable;
  /* deadlock / hang / livelock / starvation / crash: why, as data */
  rc_cause cause;
  /* deadlock / hang: the waiting threads (rc_alloc'ed array, may be null) */
  uint32_t n_waiters;
  rc_waiter *waiters;
  /* livelock / starvation: named numbers (repetitions, bypasses, ...) */
  uint32_t n_counts;
  rc_finding_count counts[RC_FINDING_MAX_COUNTS];
  /* starvation: per-thread table for the resource (rc_alloc'ed, may be null) */
  uint32_t n_thread_stats;
  rc_thread_stat *thread_stats;
  /* crash by a fault: the trapping instruction (pc 0: unknown), the load
   * address of its module and the module's path (rc_alloc'ed) */
  uint64_t fault_pc, fault_module_base;
  const char *fault_module;
} rc_finding;
/* Keeps the finding for the record (finding_sink.c; beyond max_findings it
 * is dropped): takes ownership of the rc_alloc'ed finding. */
void rc_add_finding(rc_finding *finding);
/* In a fork child: the findings made before the fork are the parent's to
 * report; the child's record holds only its own, and its exit status is
 * its own when it finds nothing (finding_sink.c). */
void rc_findings_forget_inherited(void);

/* ---- the one runtime object ---- */
typedef uint64_t rc_flag_u64;
typedef bool rc_flag_bool;
typedef const char *rc_flag_str;
typedef struct rc_options {
#define RC_FLAG(type, name, default_value, description) rc_flag_##type name;
#include "racecheck/options.inc"
#undef RC_FLAG
} rc_options;

typedef struct rc_runtime {
  bool initialized;
  rc_options options;
  rc_thread *current;  /* holder of the run token */
  rc_thread **threads; /* by tid */
  uint32_t n_threads, threads_cap;
  struct rc_strategy *strategy; /* sched/strategy.h */
  bool schedule_started;        /* strategy begun (rc_schedule_begin) */
  uint64_t steps;               /* scheduling points so far */
  uint64_t switches;            /* points where another thread was picked */
  uint64_t events;              /* instrumented events (approximate) */
  uint64_t io_leaves;           /* times a thread left for real I/O */
  uint64_t virtual_time_ns;
  rc_finding *findings, *findings_tail;
  uint32_t n_findings;
  bool finalized;
  bool fork_child;
  uint32_t forks; /* fork() calls of this process that made a child */
  /* "" in the program's first process, else the fork path: "1" for its
   * first forked child, "1.2" for that child's second (meta `process`) */
  char process[48];
  uint32_t instrumented_modules; /* __racecheck_init calls (meta entry) */
  const char *program;           /* argv[0] for `meta program`; null: read
                                    from /proc/self/cmdline */
  /* scheduling decisions a schedule file lists (a real choice where the
   * thread that reached the point did not go on); decision_log.c spools
   * them to disk, only the count stays */
  uint64_t n_decisions;
  /* Bumped at every change of what a scheduling point's pass over the
   * threads looks at: a status, a wait's object or deadline, a pending
   * signal (rc_sched_changed). A point that finds it unchanged reuses the
   * candidates of the latest pass (sched/scheduler.c). Atomic: the
   * signal stub bumps it from a handler, on any thread. */
  uint64_t sched_generation;
  /* Threads whose status is RC_THREAD_BLOCKED (rc_thread_set_status): a
   * release with none to wake walks no threads. Changed by the token
   * holder only. */
  uint32_t n_blocked;
  /* The same threads counted by a hash of what they wait for
   * (rc_wait_bucket): an unlock whose bucket is 0 has no waiter to walk the
   * threads for, even while others are blocked elsewhere (main in a join). */
  uint32_t blocked_on[64];
} rc_runtime;

extern rc_runtime g_rt;

/* Something a scheduling point's pass over the threads looks at changed. */
static inline void rc_sched_changed(void) {
  __atomic_fetch_add(&g_rt.sched_generation, 1, __ATOMIC_SEQ_CST);
}

static inline uint32_t rc_wait_bucket(const void *object) {
  return (uint32_t)(((uint64_t)(uintptr_t)object * 0x9e3779b97f4a7c15ULL) >>
                    58);
}

/* The one way to change a thread's status, so that no point misses it. */
static inline void rc_thread_set_status(rc_thread *t, rc_thread_status s) {
  uint32_t was = t->status == RC_THREAD_BLOCKED, is = s == RC_THREAD_BLOCKED;
  if (was != is) {
    g_rt.n_blocked += is - was;
    g_rt.blocked_on[rc_wait_bucket(t->wait_object)] += is - was;
  }
  t->status = s;
  rc_sched_changed();
}

/* The one way to change what a thread waits for (blocked_on stays exact). */
static inline void rc_thread_set_wait_object(rc_thread *t, void *object) {
  if (t->status == RC_THREAD_BLOCKED) {
    g_rt.blocked_on[rc_wait_bucket(t->wait_object)]--;
    g_rt.blocked_on[rc_wait_bucket(object)]++;
  }
  t->wait_object = object;
}

/* The calling thread's runtime record (null before registration and on
 * threads the runtime does not know). Defined by init.c/scheduler.c. */
extern __thread rc_thread *rc_self __attribute__((tls_model("initial-exec")));

/* ---- scheduler.c (the only code that moves the run token) ---- */
/* Declare the calling thread's next visible operation and let the strategy
 * pick who runs; returns when the caller holds the token again and its
 * operation is enabled. */
void rc_schedule(rc_op_kind kind, const void *object, const rc_site *site);
/* Mark `t` blocked on `object` until rc_unblock; the caller then calls
 * rc_schedule, which returns only once `t` was unblocked and picked. */
void rc_block_current(void *object, const rc_site *site);
void rc_unblock(rc_thread *t);
/* Forced preemption point when the budget of instrumented events runs out. */
void rc_preempt_point(void);
/* The calling thread runs instrumented code without holding the token:
 * when the watchdog took the token from it while it was blocked in the
 * kernel, it comes back (waits to be scheduled) and returns itself, now the
 * holder; otherwise null (the access is not the run's). */
rc_thread *rc_token_not_held(void);
static inline void rc_count_event(rc_thread *t) {
  if (RC_UNLIKELY(--t->budget == 0))
    rc_preempt_point();
}

/* ---- shadow.c, shadow_blocks.c, shadow_clear.c ---- */
void rc_shadow_access(rc_thread *t, uintptr_t addr, uint32_t size, bool write,
                      bool atomic, const rc_site *site);
/* Whether a plain access of `t` to [addr, addr + size) finds another
 * thread's conflicting access in the shadow (one of the two writes): a
 * location more than one thread touched (option access_points). */
bool rc_shadow_shared(const rc_thread *t, uintptr_t addr, uint32_t size,
                      bool write);
/* Box checks (access.c): plain accesses `access_size` bytes wide (the size
 * reports name) covering `size` contiguous bytes from `addr`, or `count`
 * of them `stride` bytes apart (stride > access_size, no two overlapping).
 * Unlike rc_shadow_access they are not race-directed scheduling points; the
 * box is, once. */
void rc_shadow_access_span(rc_thread *t, uintptr_t addr, uint64_t size,
                           uint32_t access_size, bool write,
                           const rc_site *site);
void rc_shadow_access_strided(rc_thread *t, uintptr_t addr, unsigned long count,
                              uint64_t stride, uint32_t access_size, bool write,
                              const rc_site *site);
void rc_shadow_clear(uintptr_t addr, size_t size); /* free, thread exit */
/* Whether whole-block accesses may keep a block's cells once (shadow.h);
 * only tests turn it off, to compare the two granularities. */
extern bool rc_shadow_blocks_enabled;
/* A free as a write of `size` bytes of a block of `block_size` (what reports
 * say): reports what races with it but stores nothing, for the shadow is
 * cleared right after (heap_blocks.c). */
void rc_shadow_check_free(rc_thread *t, uintptr_t addr, uint64_t size,
                          uint64_t block_size, const rc_site *site);

/* ---- sync objects by address (sync.c) ---- */
typedef enum rc_sync_kind {
  RC_SYNC_ATOMIC,
  RC_SYNC_MUTEX,
  RC_SYNC_RWLOCK,
  RC_SYNC_COND,
  RC_SYNC_SEM,
  RC_SYNC_BARRIER,
  RC_SYNC_ONCE,
  RC_SYNC_GUARD,
  RC_SYNC_FUTEX
} rc_sync_kind;

typedef struct rc_lock_info { /* one per lock identity, dense id */
  uint32_t id;
  rc_sync_kind kind;
  const char *name;    /* global name (with field), or null */
  const rc_site *site; /* initialisation or first use */
  rc_stack_id stack;
  rc_tid creator;
  uint32_t ordinal;      /* per (site, creator) */
  const char *kind_name; /* record-format kind: "mutex", "recursive-mutex",
                            "errorcheck-mutex", "rwlock", "spinlock", "cond",
                            "sem", "barrier", "once", "guard" */
  uintptr_t addr; /* the object's address (its model may be gone since) */
} rc_lock_info;
uint32_t rc_lock_count(void); /* lock ids are 0 .. rc_lock_count()-1 */
const rc_lock_info *rc_lock_info_get(uint32_t lock_id);

/* happens-before helpers on a sync clock */
void rc_hb_release(rc_thread *t, rc_vc *sync_clock); /* sync = t.vc, t.tick */
void rc_hb_release_join(rc_thread *t,
                        rc_vc *sync_clock); /* sync |= t.vc, t.tick */
void rc_hb_acquire(rc_thread *t, const rc_vc *sync_clock); /* t.vc |= sync */
/* Memory [addr, addr+size) is freed (free, realloc move, thread stack
 * reuse): forget the sync objects and atomic clocks inside it, so a new
 * object there does not inherit their state or lock identity. */
void rc_sync_free_range(uintptr_t addr, size_t size);

/* ---- symbolization of addresses for reports (globals.c, heap_blocks.c) ----
 */
void rc_describe_address(uintptr_t addr, rc_variable *out);
const char *rc_global_name_at(uintptr_t addr, char *buf, size_t buf_size);
/* The same name, rc_alloc'ed (findings keep it as data), or null. */
const char *rc_global_name_copy(const void *addr);
/* heap_blocks.c: fill `out` when addr lies in a registered heap block. */
bool rc_heap_describe(uintptr_t addr, rc_variable *out);
/* heap_blocks.c: fill `out` (freed = true) when addr lies in one of the most
 * recently freed heap blocks; asked after live memory and thread stacks. */
bool rc_heap_describe_freed(uintptr_t addr, rc_variable *out);

/* ---- fd_locations.c: file descriptors as race-checked locations ----
 * Each descriptor number has an 8-byte pseudo-address in a reserved range
 * that no program memory can occupy; closing or replacing a descriptor
 * writes it, I/O on it reads it, so the memory race check reports a race on
 * the descriptor and rc_describe_address names it. */
/* The pseudo-address of descriptor `fd`, 0 when racecheck does not track
 * that number (negative, or beyond RC_FD_TRACKED). */
uintptr_t rc_fd_address(int fd);
/* Descriptor `fd` begins a new life (created by `tid` at `site`/`stack`;
 * tid UINT32_MAX: a creation racecheck did not see): its earlier accesses
 * are forgotten. */
void rc_fd_location_reset(int fd, enum rc_record_fd_kind kind, rc_tid tid,
                          const rc_site *site, rc_stack_id stack);
/* Fill `out` (RC_VAR_FD) when `addr` is a descriptor's pseudo-address. */
bool rc_fd_describe(uintptr_t addr, rc_variable *out);

/* ---- mappings.c: the program's memory mappings ----
 * Each empties the shadow and sync objects of its (page-rounded) range and
 * keeps the table of live mappings that names a race on mapped memory. */
void rc_memory_mapped(void *addr, size_t len, int flags, int fd, long offset,
                      const rc_site *site);
void rc_memory_unmapped(void *addr, size_t len);
void rc_memory_remapped(void *old_addr, size_t old_len, void *new_addr,
                        size_t new_len);
/* madvise(MADV_DONTNEED) and the like: the contents are gone. */
void rc_memory_discarded(void *addr, size_t len);
/* Fill `out` (RC_VAR_MAPPING) when addr lies in a live mapping. */
bool rc_mapping_describe(uintptr_t addr, rc_variable *out);

/* ---- lock_order.c: lock-order edges for the analyzer's cycle search ---- */
typedef enum rc_lock_wait {
  RC_LOCK_WAIT_BLOCK, /* waits as long as it takes (lock, rdlock, cond re-lock)
                       */
  RC_LOCK_WAIT_TRY,   /* never waits (trylock) */
  RC_LOCK_WAIT_TIMED  /* waits until a deadline (timedlock) */
} rc_lock_wait;
typedef struct rc_lock_edge { /* t held `held_lock` when it asked for `lock` */
  rc_tid tid;
  uint32_t held_lock;
  const rc_site *held_site; /* where the held lock was acquired */
  rc_stack_id held_stack;
  bool held_write; /* false: held in read mode */
  uint32_t lock;
  const rc_site *site; /* where the wanted lock is asked for */
  rc_stack_id stack;
  bool write; /* false: asked for in read mode */
  rc_lock_wait wait;
  rc_lockset_id held_lockset; /* every lock held at that moment */
  uint32_t fork_join_clock;   /* id for rc_fork_join_clock_get */
  uint32_t sync_order_clock;  /* id for rc_sync_order_clock_get; UINT32_MAX:
                                 none (past the snapshot cap) */
} rc_lock_edge;
/* Call before the thread may wait for (or takes) the lock. */
void rc_lock_order_acquire(rc_thread *t, uint32_t lock_id, const rc_site *site,
                           bool write, rc_lock_wait wait);
void rc_fork_join_on_create(rc_thread *parent, rc_thread *child);
void rc_fork_join_on_join(rc_thread *joiner, const rc_thread *target);
uint32_t rc_lock_edge_count(void);
const rc_lock_edge *rc_lock_edge_get(uint32_t index);
uint32_t rc_fork_join_clock_count(void);
const rc_vc *rc_fork_join_clock_get(uint32_t id);
/* The sync-order clock: `object_clock` is a sync object's own (not a lock's)
 * and `via` its lock id, named when this acquisition orders a cycle. */
void rc_sync_order_release(rc_thread *t, rc_vc *object_clock);
void rc_sync_order_acquire(rc_thread *t, const rc_vc *object_clock,
                           uint32_t via);
uint32_t rc_sync_order_clock_count(void);
const rc_vc *rc_sync_order_clock_get(uint32_t id, uint32_t *via);
/* Forget every edge and snapshot (the unit tests start each run afresh). */
void rc_lock_order_reset(void);

/* ---- record_writer.c ---- */
void rc_write_record(int exit_status, int exit_signal);
/* ---- finalize (init.c): write record, render report, pick exit status ---- */
void rc_finalize(int exit_status, int exit_signal);
/* Before an exec: write the record with the findings so far (the run goes
 * on, and is finalized as usual, if the exec fails). */
void rc_record_before_exec(void);
/* After rc_record_before_exec, in a child process (a fork child, or one
 * started with the channel): the channel its next image takes, which
 * continues it (core/child_channel.h); -1 in the program's first process,
 * whose options the exec's environment carries. */
int rc_exec_channel(void);
/* After the real fork (pid as it returned): counts the fork; in the child,
 * keeps only the calling thread and names the child's process and record. */
void rc_process_after_fork(int pid);

/* ---- unloaded_modules.c: instrumented libraries' read-only data outlives
 * dlclose, so the descriptors findings point to stay valid ---- */
typedef struct rc_module_copies rc_module_copies;
/* From __racecheck_init: a code address of an instrumented module. */
void rc_note_instrumented_module(const void *constructor_pc);
/* Before the real dlclose: copies of every loaded instrumented library's
 * read-only pages (null when there is none). */
rc_module_copies *rc_copy_instrumented_modules(void);
/* After it: the copies of the libraries it unloaded go back in place. */
void rc_keep_unloaded_modules(rc_module_copies *copies);

/* ---- raw syscalls (never through the intercepted `syscall`) ---- */
long rc_raw_syscall(long number, long a1, long a2, long a3, long a4, long a5,
                    long a6);
/* The rt_sigreturn trampoline a handler installed with the raw
 * rt_sigaction returns through (fork_server.c). */
void rc_watchdog_signal_return(void);
void rc_futex_wait(volatile uint32_t *word, uint32_t expected);
void rc_futex_wake(volatile uint32_t *word, int count);
void rc_write_stderr(const char *s);
/* Calls `visit` with each line of /proc/self/maps (NUL-terminated, writable)
 * until it returns true; returns whether it did. Not reentrant (one static
 * buffer); raw syscalls only. */
bool rc_proc_maps_scan(bool (*visit)(char *line, void *ctx), void *ctx);

#endif /* RACECHECK_RT_INTERNAL_H */
