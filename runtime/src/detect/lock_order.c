/* lock_order.c — records lock-order edges for the analyzer's lock-order
 * cycle (potential deadlock) detection.
 *
 * Every time a thread asks for a lock while it holds others, each held lock
 * gives one edge "held -> wanted" with both acquisition positions and stacks,
 * the thread's full held set (an interned lock set, which keeps each member's
 * acquisition site and mode), the modes, whether the request could wait
 * forever (block), not at all (try) or until a deadline (timed), and the
 * thread's fork-join clock and its sync-order clock. The analysis (cycle
 * search, filters) is the analyzer's job (analyzer/lock_graph.cpp); the
 * runtime only records.
 *
 * The fork-join clock is a vector clock that only creation and join advance
 * (no lock, atomic or condition variable edges): two edges ordered by it
 * cannot overlap in any schedule, while the full happens-before clock orders
 * critical sections merely because of the one interleaving that ran. Clock
 * snapshots are interned: a thread's clock only changes at create/join, so
 * all its edges in between share one snapshot.
 *
 * The sync-order clock follows create/join and every synchronisation that is
 * not a lock's own release->acquire: semaphores, condition variables,
 * barriers and futexes (atomics are not followed). A deadlock needs every
 * thread of a cycle blocked at its request, so nothing a thread does at or
 * after its request can happen before another thread reaches its own: two
 * edges whose requests are ordered by this clock did not overlap in this run
 * (the analyzer reports such cycles apart, naming the object). Lock edges
 * are left out because they order every observed cycle by the very locks in
 * it. Each snapshot remembers the object whose acquisition advanced the
 * thread's clock last (`via`), so the report can name the ordering. Own
 * entries advance lazily: a release only marks the epoch published, and the
 * next snapshot starts a new epoch, so threads that never nest locks pay
 * one vector join per semaphore, condition or barrier operation.
 *
 * Edges are deduplicated on every field except the stacks (the first stack
 * seen is kept), so repeated acquisitions in a loop cost one hash probe. No
 * cap applies to the number of locks held or alive. */
#include "core/runtime.h"

#include <string.h>

static rc_lock_edge *edges;
static uint32_t n_edges, edges_cap;

/* Open-addressing set of edge indices + 1 (0 = empty), keyed by
 * edge_hash; the table is at most half full. */
static uint32_t *edge_slots;
static uint32_t edge_slots_cap;

/* Interned clock snapshots, each with the lock id of the object whose
 * acquisition made it (UINT32_MAX: none, or create/join). */
typedef struct clock_table {
  rc_vc *clocks;
  uint32_t *via;
  uint32_t n, cap;
} clock_table;

static clock_table fork_join_table, sync_order_table;

/* Beyond this many sync-order snapshots (a loop that synchronises between
 * nested acquisitions makes one per iteration) edges carry no sync-order
 * clock, so they deduplicate again and count as unordered. */
#define RC_SYNC_ORDER_SNAPSHOTS_MAX 65536u

static uint64_t edge_hash(const rc_lock_edge *e) {
  uint64_t h = rc_hash64(((uint64_t)e->tid << 32) | e->lock);
  h = rc_hash64(h ^ (((uint64_t)e->held_lock << 32) | e->held_lockset));
  h = rc_hash64(h ^ (uint64_t)(uintptr_t)e->held_site);
  h = rc_hash64(h ^ (uint64_t)(uintptr_t)e->site);
  h = rc_hash64(h ^ ((uint64_t)e->sync_order_clock << 32));
  h = rc_hash64(h ^ (((uint64_t)e->fork_join_clock << 8) |
                     ((uint64_t)e->held_write << 4) |
                     ((uint64_t)e->write << 3) | (uint64_t)e->wait));
  return h;
}

static bool edge_same(const rc_lock_edge *a, const rc_lock_edge *b) {
  return a->tid == b->tid && a->lock == b->lock &&
         a->held_lock == b->held_lock && a->held_site == b->held_site &&
         a->site == b->site && a->held_write == b->held_write &&
         a->write == b->write && a->wait == b->wait &&
         a->held_lockset == b->held_lockset &&
         a->fork_join_clock == b->fork_join_clock &&
         a->sync_order_clock == b->sync_order_clock;
}

static void edge_slots_grow(void) {
  uint32_t cap = edge_slots_cap ? edge_slots_cap * 2 : 1024;
  uint32_t *slots = rc_alloc((size_t)cap * sizeof *slots);
  for (uint32_t i = 0; i < n_edges; i++) {
    uint64_t h = edge_hash(&edges[i]);
    uint32_t s = (uint32_t)h & (cap - 1);
    while (slots[s])
      s = (s + 1) & (cap - 1);
    slots[s] = i + 1;
  }
  rc_free(edge_slots, (size_t)edge_slots_cap * sizeof *edge_slots);
  edge_slots = slots;
  edge_slots_cap = cap;
}

/* Adds `e` unless an equal edge exists. */
static void edge_insert(const rc_lock_edge *e) {
  if ((n_edges + 1) * 2 > edge_slots_cap)
    edge_slots_grow();
  uint32_t s = (uint32_t)edge_hash(e) & (edge_slots_cap - 1);
  for (; edge_slots[s]; s = (s + 1) & (edge_slots_cap - 1))
    if (edge_same(&edges[edge_slots[s] - 1], e))
      return;
  if (n_edges == edges_cap) {
    uint32_t cap = edges_cap ? edges_cap * 2 : 256;
    edges = rc_realloc(edges, (size_t)edges_cap * sizeof *edges,
                       (size_t)cap * sizeof *edges);
    edges_cap = cap;
  }
  edges[n_edges] = *e;
  edge_slots[s] = ++n_edges;
}

/* ---- fork-join clocks ---- */

/* A thread's own entry starts at 1, so 0 keeps meaning "knows nothing". */
/* A thread's own entries start above those of the thread whose clock slot
 * it took (0 for a fresh slot): knowing that thread is not knowing this. */
static void sync_order_ensure_own(rc_thread *t) {
  if (rc_vc_get(&t->sync_order_vc, t->tid) <= t->sync_order_floor)
    rc_vc_set(&t->sync_order_vc, t->tid, t->sync_order_floor + 1);
}

static void fork_join_ensure_own(rc_thread *t) {
  if (rc_vc_get(&t->fork_join_vc, t->tid) <= t->fork_join_floor)
    rc_vc_set(&t->fork_join_vc, t->tid, t->fork_join_floor + 1);
}

void rc_fork_join_on_create(rc_thread *parent, rc_thread *child) {
  rc_sync_order_release(parent, &child->sync_order_vc);
  child->sync_order_via = 0;
  sync_order_ensure_own(child);
  fork_join_ensure_own(parent);
  rc_vc_join(&child->fork_join_vc, &parent->fork_join_vc);
  fork_join_ensure_own(child);
  /* The parent's later edges are concurrent with the child's. */
  rc_vc_set(&parent->fork_join_vc, parent->tid,
            rc_vc_get(&parent->fork_join_vc, parent->tid) + 1);
  parent->fork_join_snapshot = 0;
  child->fork_join_snapshot = 0;
}

void rc_fork_join_on_join(rc_thread *joiner, const rc_thread *target) {
  rc_vc_join(&joiner->fork_join_vc, &target->fork_join_vc);
  joiner->fork_join_snapshot = 0;
  rc_sync_order_acquire(joiner, &target->sync_order_vc, UINT32_MAX);
}

static uint32_t clock_table_add(clock_table *tab, const rc_vc *vc,
                                uint32_t via) {
  if (tab->n == tab->cap) {
    uint32_t cap = tab->cap ? tab->cap * 2 : 64;
    tab->clocks = rc_realloc(tab->clocks, (size_t)tab->cap * sizeof(rc_vc),
                             (size_t)cap * sizeof(rc_vc));
    tab->via = rc_realloc(tab->via, (size_t)tab->cap * sizeof(uint32_t),
                          (size_t)cap * sizeof(uint32_t));
    tab->cap = cap;
  }
  rc_vc *snapshot = &tab->clocks[tab->n];
  rc_vc_init(snapshot);
  rc_vc_copy(snapshot, vc);
  tab->via[tab->n] = via;
  return tab->n++;
}

static void clock_table_free(clock_table *tab) {
  for (uint32_t i = 0; i < tab->n; i++)
    rc_vc_destroy(&tab->clocks[i]);
  rc_free(tab->clocks, (size_t)tab->cap * sizeof(rc_vc));
  rc_free(tab->via, (size_t)tab->cap * sizeof(uint32_t));
  memset(tab, 0, sizeof *tab);
}

/* Id of the interned snapshot of t's current fork-join clock. */
static uint32_t fork_join_snapshot(rc_thread *t) {
  if (t->fork_join_snapshot)
    return t->fork_join_snapshot - 1;
  fork_join_ensure_own(t);
  uint32_t id = clock_table_add(&fork_join_table, &t->fork_join_vc, UINT32_MAX);
  t->fork_join_snapshot = id + 1;
  return id;
}

uint32_t rc_fork_join_clock_count(void) { return fork_join_table.n; }

const rc_vc *rc_fork_join_clock_get(uint32_t id) {
  return id < fork_join_table.n ? &fork_join_table.clocks[id] : 0;
}

/* ---- sync-order clocks ---- */

void rc_sync_order_release(rc_thread *t, rc_vc *object_clock) {
  sync_order_ensure_own(t);
  rc_vc_join(object_clock, &t->sync_order_vc);
  t->sync_order_published = true;
}

void rc_sync_order_acquire(rc_thread *t, const rc_vc *object_clock,
                           uint32_t via) {
  if (!rc_vc_leq(object_clock, &t->sync_order_vc)) {
    rc_vc_join(&t->sync_order_vc, object_clock);
    t->sync_order_via = via == UINT32_MAX ? 0 : via + 1;
    t->sync_order_snapshot = 0;
  }
}

/* Id of the interned snapshot of t's current sync-order clock, in a new
 * epoch when the current one was released since; UINT32_MAX past the cap. */
static uint32_t sync_order_snapshot(rc_thread *t) {
  sync_order_ensure_own(t);
  if (t->sync_order_published) {
    rc_vc_set(&t->sync_order_vc, t->tid,
              rc_vc_get(&t->sync_order_vc, t->tid) + 1);
    t->sync_order_published = false;
    t->sync_order_snapshot = 0;
  }
  if (t->sync_order_snapshot)
    return t->sync_order_snapshot - 1;
  if (sync_order_table.n >= RC_SYNC_ORDER_SNAPSHOTS_MAX)
    return UINT32_MAX;
  uint32_t id = clock_table_add(&sync_order_table, &t->sync_order_vc,
                                t->sync_order_via - 1);
  t->sync_order_snapshot = id + 1;
  return id;
}

uint32_t rc_sync_order_clock_count(void) { return sync_order_table.n; }

const rc_vc *rc_sync_order_clock_get(uint32_t id, uint32_t *via) {
  if (id >= sync_order_table.n)
    return 0;
  *via = sync_order_table.via[id];
  return &sync_order_table.clocks[id];
}

/* ---- edges ---- */

/* A direct-mapped cache of the requests whose edges are all in the table: a
 * loop that nests locks asks the same way on every iteration, and then pays
 * a multiplication and a compare instead of hashing and probing per held
 * lock. A line is the request as an edge with the held fields and stacks
 * zero (edge_same ignores stacks: the first seen is kept); held_lockset 0
 * marks an empty line, as a request with locks held has a non-empty set.
 * The key is complete when the thread holds each lock once: the interned
 * held set then gives every held entry's lock, site and mode, and the
 * request's own fields and clock snapshots are the rest of what edge_same
 * compares. A lock held twice (read holds of one rwlock at two sites) is in
 * the set once, with its first hold, so such requests bypass the cache. */
enum { RC_EDGE_REQUEST_CACHE_BITS = 8 };
static rc_lock_edge edge_request_cache[1u << RC_EDGE_REQUEST_CACHE_BITS];

static rc_lock_edge *edge_request_line(const rc_lock_edge *request) {
  uint64_t h =
      (((uint64_t)request->tid << 32) | request->lock) * 0x9e3779b97f4a7c15ULL ^
      (uintptr_t)request->site ^
      ((uint64_t)request->held_lockset << 32 | request->fork_join_clock) *
          0xc2b2ae3d27d4eb4fULL ^
      request->sync_order_clock;
  h *= 0xff51afd7ed558ccdULL;
  return &edge_request_cache[h >> (64 - RC_EDGE_REQUEST_CACHE_BITS)];
}

void rc_lock_order_acquire(rc_thread *t, uint32_t lock_id, const rc_site *site,
                           bool write, rc_lock_wait wait) {
  if (t->n_held == 0 || lock_id == UINT32_MAX)
    return;
  rc_lock_edge e;
  memset(&e, 0, sizeof e);
  e.tid = t->tid;
  e.lock = lock_id;
  e.site = site;
  e.write = write;
  e.wait = wait;
  e.held_lockset = t->lockset;
  e.fork_join_clock = fork_join_snapshot(t);
  e.sync_order_clock = sync_order_snapshot(t);
  uint32_t distinct;
  rc_lockset_get(t->lockset, &distinct);
  rc_lock_edge *line = distinct == t->n_held ? edge_request_line(&e) : 0;
  if (line && line->held_lockset != 0 && edge_same(line, &e))
    return;
  if (line)
    *line = e;
  e.stack = t->current_stack;
  for (uint32_t i = 0; i < t->n_held; i++) {
    const rc_held_lock *h = &t->held[i];
    if (h->lock_id == lock_id)
      continue; /* a second read hold of the same rwlock orders nothing */
    e.held_lock = h->lock_id;
    e.held_site = h->site;
    e.held_stack = h->stack;
    e.held_write = h->write;
    edge_insert(&e);
  }
}

uint32_t rc_lock_edge_count(void) { return n_edges; }

void rc_lock_order_reset(void) {
  rc_free(edges, (size_t)edges_cap * sizeof *edges);
  rc_free(edge_slots, (size_t)edge_slots_cap * sizeof *edge_slots);
  clock_table_free(&fork_join_table);
  clock_table_free(&sync_order_table);
  memset(edge_request_cache, 0, sizeof edge_request_cache);
  edges = 0;
  edge_slots = 0;
  n_edges = edges_cap = edge_slots_cap = 0;
}

const rc_lock_edge *rc_lock_edge_get(uint32_t index) {
  return index < n_edges ? &edges[index] : 0;
}
