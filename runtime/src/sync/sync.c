/* sync.c — the registry of synchronisation objects by address, lock
 * identities, held-lock bookkeeping and the happens-before helpers on sync
 * clocks.
 *
 * One table maps the address of a mutex/cond/sem/... to its typed object
 * (sync/objects.h; each kind's state machine is in its own file), another
 * the address of an atomic location to its clock. A lock identity (dense id)
 * names one lifetime of a lock for reports: destroying the lock ends it, so a
 * reused address is a new lock. Happens-before follows FastTrack (Flanagan &
 * Freund, PLDI'09): a release copies (or joins) the thread's clock into the
 * object and increments the thread's own entry; an acquire joins the object's
 * clock into the thread's. */
#include "sched/scheduler.h"
#include "detect/starvation.h"

#include <stdio.h>
#include <string.h>

static rc_map sync_table;
/* Atomic locations have their own table: the same address can be both an
 * atomic and a futex word or a guard variable. */
static rc_map atomic_table;
/* page number + 1 -> how many objects of both tables lie in that page, so
 * that freeing memory finds the objects inside it cheaply */
static rc_map sync_pages;

static void count_in_page(uintptr_t addr, intptr_t delta) {
  uint64_t key = (uint64_t)(addr >> 12) + 1;
  void **slot = rc_map_insert(&sync_pages, key);
  intptr_t n = (intptr_t)*slot + delta;
  if (n <= 0)
    rc_map_erase(&sync_pages, key);
  else
    *slot = (void *)n;
}

/* A thread may still hold a pointer to the object at `addr` across a
 * scheduling point (it waits for it or is about to operate on it). */
static bool object_in_use(uintptr_t addr) {
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    rc_thread *t = g_rt.threads[i];
    if (t->status == RC_THREAD_FINISHED)
      continue;
    if ((uintptr_t)t->wait_object == addr ||
        (uintptr_t)t->pending.object == addr)
      return true;
  }
  return false;
}

static rc_lock_info **locks;
static uint32_t n_locks, locks_cap;

/* ordinal per (site, creator): how many locks this thread created there */
static rc_map ordinals;
/* Names given by racecheck_lock_name, by address (key | 1: 0 is no key). */
static rc_map lock_names;

/* A direct-mapped cache of the objects used last, in front of sync_table:
 * every lock and unlock looks its object up by address, and a program's
 * hot locks (one mutex, a few stripes) then cost a multiplication and a
 * compare instead of rc_hash64 and a probe. The key is complete: an address
 * names one object until rc_sync_destroy, which empties its line (objects
 * are allocated one by one, so the table growing moves none). Address 0
 * marks an empty line; no object lives there. The runtime is serialized by
 * the run token, so one cache serves all threads. */
enum { RC_SYNC_CACHE_BITS = 6 };
typedef struct sync_cache_line {
  uintptr_t addr;
  rc_sync *object;
} sync_cache_line;
static sync_cache_line sync_cache[1u << RC_SYNC_CACHE_BITS];

static sync_cache_line *sync_cache_line_for(uintptr_t addr) {
  return &sync_cache[((uint64_t)addr * 0x9e3779b97f4a7c15ULL) >>
                     (64 - RC_SYNC_CACHE_BITS)];
}

rc_sync *rc_sync_find(const void *addr) {
  sync_cache_line *line = sync_cache_line_for((uintptr_t)addr);
  if (RC_LIKELY(line->addr == (uintptr_t)addr) && addr)
    return line->object;
  void **slot = rc_map_find(&sync_table, (uint64_t)(uintptr_t)addr);
  if (!slot)
    return 0;
  *line = (sync_cache_line){(uintptr_t)addr, *slot};
  return *slot;
}

/* Per kind: the struct's size and where its clocks are. */
typedef struct sync_layout {
  uint16_t size;
  uint8_t n_clocks;
  uint16_t clocks[4];
} sync_layout;

static const sync_layout layouts[] = {
    [RC_SYNC_ATOMIC] = {sizeof(rc_sync), 0, {0}},
    [RC_SYNC_MUTEX] = {sizeof(rc_mutex), 1, {offsetof(rc_mutex, clock)}},
    [RC_SYNC_RWLOCK] = {sizeof(rc_rwlock),
                        2,
                        {offsetof(rc_rwlock, clock),
                         offsetof(rc_rwlock, read_clock)}},
    [RC_SYNC_COND] = {sizeof(rc_cond),
                      2,
                      {offsetof(rc_cond, clock),
                       offsetof(rc_cond, order_clock)}},
    [RC_SYNC_SEM] = {sizeof(rc_sem),
                     2,
                     {offsetof(rc_sem, clock), offsetof(rc_sem, order_clock)}},
    [RC_SYNC_BARRIER] = {sizeof(rc_barrier),
                         4,
                         {offsetof(rc_barrier, arrivals),
                          offsetof(rc_barrier, done),
                          offsetof(rc_barrier, order_arrivals),
                          offsetof(rc_barrier, order_done)}},
    [RC_SYNC_ONCE] = {sizeof(rc_once), 1, {offsetof(rc_once, clock)}},
    [RC_SYNC_GUARD] = {sizeof(rc_once), 1, {offsetof(rc_once, clock)}},
    [RC_SYNC_FUTEX] = {sizeof(rc_futex),
                       2,
                       {offsetof(rc_futex, clock),
                        offsetof(rc_futex, order_clock)}},
};

static rc_vc *clock_of(rc_sync *s, unsigned i) {
  return (rc_vc *)((char *)s + layouts[s->kind].clocks[i]);
}

static rc_sync *sync_new(uintptr_t addr, rc_sync_kind kind) {
  rc_sync *s = rc_alloc(layouts[kind].size);
  s->kind = kind;
  s->lock_id = UINT32_MAX;
  s->addr = addr;
  for (unsigned i = 0; i < layouts[kind].n_clocks; i++)
    rc_vc_init(clock_of(s, i));
  return s;
}

static void sync_delete(rc_sync *s) {
  for (unsigned i = 0; i < layouts[s->kind].n_clocks; i++)
    rc_vc_destroy(clock_of(s, i));
  rc_free(s, layouts[s->kind].size);
}

rc_sync *rc_sync_get(const void *addr, rc_sync_kind kind) {
  RC_CHECK(addr != 0);
  sync_cache_line *line = sync_cache_line_for((uintptr_t)addr);
  if (RC_LIKELY(line->addr == (uintptr_t)addr) && line->object->kind == kind)
    return line->object;
  void **slot = rc_map_insert(&sync_table, (uint64_t)(uintptr_t)addr);
  rc_sync *s = *slot;
  if (RC_LIKELY(s != 0)) {
    if (RC_LIKELY(s->kind == kind)) {
      *line = (sync_cache_line){(uintptr_t)addr, s};
      return s;
    }
    /* Memory reused for another kind of object without a destroy call (for
     * example an atomic flag inside a freed and reallocated block): the old
     * object ends as if destroyed. */
    rc_sync_destroy(addr);
    slot = rc_map_insert(&sync_table, (uint64_t)(uintptr_t)addr);
  }
  s = sync_new((uintptr_t)addr, kind);
  *slot = s;
  count_in_page((uintptr_t)addr, 1);
  *line = (sync_cache_line){(uintptr_t)addr, s};
  return s;
}

void rc_sync_destroy(const void *addr) {
  void **slot = rc_map_find(&sync_table, (uint64_t)(uintptr_t)addr);
  if (!slot)
    return;
  rc_sync *s = *slot;
  sync_cache_line *line = sync_cache_line_for((uintptr_t)addr);
  if (line->addr == (uintptr_t)addr)
    *line = (sync_cache_line){0, 0};
  rc_map_erase(&sync_table, (uint64_t)(uintptr_t)addr);
  count_in_page((uintptr_t)addr, -1);
  /* Destroying (or freeing) an object a thread still waits on is undefined
   * behaviour in the program; keep the memory then rather than crash. */
  if (object_in_use((uintptr_t)addr))
    return;
  sync_delete(s);
}

rc_thread *rc_sync_owner(const rc_sync *s) {
  switch (s->kind) {
  case RC_SYNC_MUTEX: return ((const rc_mutex *)s)->owner;
  case RC_SYNC_RWLOCK: return ((const rc_rwlock *)s)->owner;
  case RC_SYNC_ONCE:
  case RC_SYNC_GUARD: return ((const rc_once *)s)->owner;
  default: return 0;
  }
}

uint32_t rc_sync_readers(const rc_sync *s) {
  return s->kind == RC_SYNC_RWLOCK ? ((const rc_rwlock *)s)->readers : 0;
}

int64_t rc_sync_count(const rc_sync *s) {
  switch (s->kind) {
  case RC_SYNC_SEM: return ((const rc_sem *)s)->value;
  case RC_SYNC_BARRIER: return ((const rc_barrier *)s)->arrived;
  case RC_SYNC_ONCE: return ((const rc_once *)s)->state;
  default: return 0;
  }
}

static void atomic_clock_forget(uintptr_t addr) {
  if (!rc_atomic_clock_find((const void *)addr)) /* the filter, mostly */
    return;
  void **slot = rc_map_find(&atomic_table, (uint64_t)addr);
  if (!slot)
    return;
  rc_vc *vc = *slot;
  rc_map_erase(&atomic_table, (uint64_t)addr);
  count_in_page(addr, -1);
  rc_vc_destroy(vc);
  rc_free(vc, sizeof *vc);
}

/* Forgets the objects of `page` (which holds some) inside [addr, end). */
static void free_in_page(uintptr_t page, uintptr_t addr, uintptr_t end) {
  uintptr_t lo = page << 12 > addr ? page << 12 : addr & ~(uintptr_t)3;
  uintptr_t hi = (page + 1) << 12 < end ? (page + 1) << 12 : end;
  /* every sync object and atomic is at least 4-byte aligned */
  for (uintptr_t a = (lo + 3) & ~(uintptr_t)3; a < hi; a += 4) {
    if (rc_map_find(&sync_table, (uint64_t)a))
      rc_sync_destroy((const void *)a);
    atomic_clock_forget(a);
  }
}

void rc_sync_free_range(uintptr_t addr, size_t size) {
  rc_starvation_settle(); /* it may point into the range */
  if (size == 0 || sync_pages.count == 0)
    return;
  uintptr_t end = addr + size < addr ? UINTPTR_MAX : addr + size;
  uintptr_t first = addr >> 12, last = (end - 1) >> 12;
  if (last - first < sync_pages.cap) {
    for (uintptr_t page = first; page <= last; page++)
      if (rc_map_find(&sync_pages, (uint64_t)page + 1))
        free_in_page(page, addr, end);
    return;
  }
  /* A huge range (an address-space reservation, a big mapping): visit the
   * pages that hold objects rather than every page. They are collected
   * first, as forgetting objects erases pages from the table. */
  size_t n = 0, cap = sync_pages.count;
  uintptr_t *pages = rc_alloc(cap * sizeof *pages);
  for (size_t i = 0; i < sync_pages.cap && n < cap; i++) {
    uint64_t key = sync_pages.keys[i];
    if (key != 0 && key - 1 >= first && key - 1 <= last)
      pages[n++] = (uintptr_t)(key - 1);
  }
  for (size_t i = 0; i < n; i++)
    free_in_page(pages[i], addr, end);
  rc_free(pages, cap * sizeof *pages);
}

void rc_sync_assign_identity(rc_sync *s, const char *kind_name,
                             const rc_site *site) {
  if (s->lock_id != UINT32_MAX)
    return;
  if (n_locks == locks_cap) {
    uint32_t cap = locks_cap ? locks_cap * 2 : 64;
    locks = rc_realloc(locks, locks_cap * sizeof *locks, cap * sizeof *locks);
    locks_cap = cap;
  }
  rc_thread *t = rc_self;
  rc_lock_info *info = rc_alloc(sizeof *info);
  info->id = n_locks;
  info->kind = s->kind;
  info->kind_name = kind_name;
  char name[160];
  void **given = rc_map_find(&lock_names, (uint64_t)s->addr | 1);
  const char *global = given ? (const char *)*given
                             : rc_global_name_at(s->addr, name, sizeof name);
  if (global && !given) {
    /* "acct.lock.__data.__lock" names libc's inner field: stop at the lock
     * itself (glibc's private fields all start with "__"; libstdc++'s, as in
     * "m._M_mutex" of a std::mutex, with "_M_"). */
    char *inner = strstr(name, ".__");
    if (global == name && inner)
      *inner = 0;
    inner = strstr(name, "._M_");
    if (global == name && inner)
      *inner = 0;
  }
  info->name = global ? rc_strdup(global) : 0;
  info->site = site;
  info->addr = s->addr;
  info->stack = t ? t->current_stack : 0;
  info->creator = t ? t->tid : 0;
  uint64_t key = rc_hash64((uint64_t)(uintptr_t)site * 31 + info->creator) | 1;
  void **count = rc_map_insert(&ordinals, key);
  info->ordinal = (uint32_t)(uintptr_t)*count;
  *count = (void *)(uintptr_t)(info->ordinal + 1);
  locks[n_locks++] = info;
  s->lock_id = info->id;
}

void rc_sync_name_lock(const void *addr, const char *name) {
  char *copy = rc_strdup(name);
  *rc_map_insert(&lock_names, (uint64_t)(uintptr_t)addr | 1) = copy;
  /* A lock used before it was named is renamed in place. */
  rc_sync *s = rc_sync_find(addr);
  if (s && s->lock_id != UINT32_MAX)
    locks[s->lock_id]->name = copy;
}

const rc_lock_info *rc_lock_info_get(uint32_t lock_id) {
  return lock_id < n_locks ? locks[lock_id] : 0;
}

uint32_t rc_lock_count(void) { return n_locks; }

/* ---- held locks ---- */
/* The thread's latest lock-set steps each way, one per lock id modulo
 * RC_LOCKSET_STEPS (a striped map's 16 stripes fit): a lock loop goes
 * {..} -> {.., m} -> {..} again and again, and these answer it from the
 * thread's own memory instead of the shared step cache (history.c), whose
 * line the shadow's traffic evicts. Interned sets never change, so a step
 * stays true for the whole run; a zero `to` of an addition (never the
 * empty set) and a zero `from` of a removal mark no step yet. */
enum { RC_LOCKSET_STEPS = 16 };
typedef struct lockset_add_step {
  rc_held_lock held;
  rc_lockset_id from, to;
} lockset_add_step;
typedef struct lockset_remove_step {
  uint32_t lock_id;
  rc_lockset_id from, to;
} lockset_remove_step;
typedef struct rc_lockset_steps {
  lockset_add_step added[RC_LOCKSET_STEPS];
  lockset_remove_step removed[RC_LOCKSET_STEPS];
} rc_lockset_steps;

static rc_lockset_steps *lockset_steps(rc_thread *t) {
  if (RC_UNLIKELY(!t->lockset_steps))
    t->lockset_steps = rc_alloc(sizeof *t->lockset_steps);
  return t->lockset_steps;
}

void rc_held_add(rc_thread *t, uint32_t lock_id, const rc_site *site,
                 bool write) {
  if (t->n_held == t->held_cap) {
    uint32_t cap = t->held_cap ? t->held_cap * 2 : 8;
    t->held = rc_realloc(t->held, t->held_cap * sizeof *t->held,
                         cap * sizeof *t->held);
    t->held_cap = cap;
  }
  /* Field by field: a struct copy reads back as one word the stack and
   * write fields just stored apart, which stalls on store forwarding. */
  rc_stack_id stack = t->current_stack;
  rc_held_lock *h = &t->held[t->n_held++];
  h->lock_id = lock_id;
  h->site = site;
  h->stack = stack;
  h->write = write;
  lockset_add_step *memo = &lockset_steps(t)->added[lock_id % RC_LOCKSET_STEPS];
  if (memo->to != 0 && memo->from == t->lockset &&
      memo->held.lock_id == lock_id && memo->held.site == site &&
      memo->held.stack == stack && memo->held.write == write) {
    t->lockset = memo->to;
    return;
  }
  memo->from = t->lockset;
  memo->held.lock_id = lock_id;
  memo->held.site = site;
  memo->held.stack = stack;
  memo->held.write = write;
  t->lockset = rc_lockset_with_held(t->lockset, h);
  memo->to = t->lockset;
}

static rc_lockset_id lockset_without(rc_thread *t, uint32_t lock_id) {
  lockset_remove_step *memo =
      &lockset_steps(t)->removed[lock_id % RC_LOCKSET_STEPS];
  if (memo->from != 0 && memo->from == t->lockset && memo->lock_id == lock_id)
    return memo->to;
  memo->from = t->lockset;
  memo->lock_id = lock_id;
  memo->to = rc_lockset_without(t->lockset, lock_id);
  return memo->to;
}

void rc_held_remove(rc_thread *t, uint32_t lock_id) {
  for (uint32_t i = t->n_held; i-- > 0;) {
    if (t->held[i].lock_id != lock_id)
      continue;
    if (i + 1 < t->n_held) /* mostly the latest hold goes first */
      memmove(&t->held[i], &t->held[i + 1],
              (t->n_held - i - 1) * sizeof *t->held);
    t->n_held--;
    /* A read-held rwlock may be held several times; keep it in the set
     * while any hold remains. */
    for (uint32_t j = 0; j < t->n_held; j++)
      if (t->held[j].lock_id == lock_id)
        return;
    t->lockset = lockset_without(t, lock_id);
    return;
  }
}

bool rc_held_for_read(const rc_thread *t, uint32_t lock_id) {
  for (uint32_t i = 0; i < t->n_held; i++)
    if (t->held[i].lock_id == lock_id && !t->held[i].write)
      return true;
  return false;
}

bool rc_waiter_woken_for_signal;

rc_thread *rc_oldest_waiter(const void *object) {
  /* Every signal asks; mostly nobody waits on this variable. */
  if (!rc_waiter_woken_for_signal &&
      g_rt.blocked_on[rc_wait_bucket(object)] == 0)
    return 0;
  rc_thread *best = 0;
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    rc_thread *t = g_rt.threads[i];
    /* A waiter enabled only to run a signal handler still waits. */
    bool waiting = t->status == RC_THREAD_BLOCKED ||
                   rc_ext(t)->sig_wait == RC_SIG_WAIT_WOKEN ||
                   rc_ext(t)->sig_wait == RC_SIG_WAIT_HANDLER;
    if (!waiting || t->wait_object != object || rc_ext(t)->signalled)
      continue;
    if (!best || rc_ext(t)->wait_ticket < rc_ext(best)->wait_ticket)
      best = t;
  }
  return best;
}

/* ---- happens-before ---- */
static inline void tick(rc_thread *t) { rc_thread_tick(t); }

void rc_hb_release(rc_thread *t, rc_vc *sync_clock) {
  rc_vc_copy(sync_clock, &t->vc);
  tick(t);
}

void rc_hb_release_join(rc_thread *t, rc_vc *sync_clock) {
  rc_vc_join(sync_clock, &t->vc);
  tick(t);
}

void rc_hb_acquire(rc_thread *t, const rc_vc *sync_clock) {
  rc_vc_join(&t->vc, sync_clock);
}

/* The filter in front of the atomic-clock map (objects.h). */
uint64_t rc_atomic_filter[(1u << RC_ATOMIC_FILTER_BITS) / 64];
bool rc_atomic_filter_empty = true;

rc_vc *rc_atomic_clock_find_slow(const void *addr) {
  void **slot = rc_map_find(&atomic_table, (uint64_t)(uintptr_t)addr);
  return slot ? *slot : 0;
}

rc_vc *rc_atomic_clock(const void *addr) {
  uint32_t bit = rc_atomic_filter_bit(addr);
  rc_atomic_filter[bit / 64] |= 1ull << (bit % 64);
  rc_atomic_filter_empty = false;
  void **slot = rc_map_insert(&atomic_table, (uint64_t)(uintptr_t)addr);
  if (RC_UNLIKELY(!*slot)) {
    rc_vc *vc = rc_alloc(sizeof *vc);
    rc_vc_init(vc);
    *slot = vc;
    count_in_page((uintptr_t)addr, 1);
  }
  return *slot;
}
