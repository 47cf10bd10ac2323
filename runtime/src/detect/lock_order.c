/* lock_order.c — records lock-order edges for the analyzer's lock-order
 * cycle (potential deadlock) detection.
 *
 * Every time a thread asks for a lock while it holds others, each held lock
 * gives one edge "held -> wanted" with both acquisition positions and stacks,
 * the thread's full held set (an interned lock set, which keeps each member's
 * acquisition site and mode), the modes, whether the request could wait
 * forever (block), not at all (try) or until a deadline (timed), and the
 * thread's fork-join clock. The analysis (cycle search, filters) is the
 * analyzer's job (analyzer/lock_graph.cpp); the runtime only records.
 *
 * The fork-join clock is a vector clock that only creation and join advance
 * (no lock, atomic or condition variable edges): two edges ordered by it
 * cannot overlap in any schedule, while the full happens-before clock orders
 * critical sections merely because of the one interleaving that ran. Clock
 * snapshots are interned: a thread's clock only changes at create/join, so
 * all its edges in between share one snapshot.
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

static rc_vc *fork_join_snapshots;
static uint32_t n_snapshots, snapshots_cap;

static uint64_t edge_hash(const rc_lock_edge *e) {
  uint64_t h = rc_hash64(((uint64_t)e->tid << 32) | e->lock);
  h = rc_hash64(h ^ (((uint64_t)e->held_lock << 32) | e->held_lockset));
  h = rc_hash64(h ^ (uint64_t)(uintptr_t)e->held_site);
  h = rc_hash64(h ^ (uint64_t)(uintptr_t)e->site);
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
         a->fork_join_clock == b->fork_join_clock;
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
static void fork_join_ensure_own(rc_thread *t) {
  if (rc_vc_get(&t->fork_join_vc, t->tid) == 0)
    rc_vc_set(&t->fork_join_vc, t->tid, 1);
}

void rc_fork_join_on_create(rc_thread *parent, rc_thread *child) {
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
}

/* Id of the interned snapshot of t's current fork-join clock. */
static uint32_t fork_join_snapshot(rc_thread *t) {
  if (t->fork_join_snapshot)
    return t->fork_join_snapshot - 1;
  fork_join_ensure_own(t);
  if (n_snapshots == snapshots_cap) {
    uint32_t cap = snapshots_cap ? snapshots_cap * 2 : 64;
    fork_join_snapshots =
        rc_realloc(fork_join_snapshots, (size_t)snapshots_cap * sizeof(rc_vc),
                   (size_t)cap * sizeof(rc_vc));
    snapshots_cap = cap;
  }
  rc_vc *snapshot = &fork_join_snapshots[n_snapshots];
  rc_vc_init(snapshot);
  rc_vc_copy(snapshot, &t->fork_join_vc);
  t->fork_join_snapshot = ++n_snapshots;
  return n_snapshots - 1;
}

uint32_t rc_fork_join_clock_count(void) { return n_snapshots; }

const rc_vc *rc_fork_join_clock_get(uint32_t id) {
  return id < n_snapshots ? &fork_join_snapshots[id] : 0;
}

/* ---- edges ---- */

void rc_lock_order_acquire(rc_thread *t, uint32_t lock_id, const rc_site *site,
                           bool write, rc_lock_wait wait) {
  if (t->n_held == 0 || lock_id == UINT32_MAX)
    return;
  rc_lock_edge e;
  memset(&e, 0, sizeof e);
  e.tid = t->tid;
  e.lock = lock_id;
  e.site = site;
  e.stack = t->current_stack;
  e.write = write;
  e.wait = wait;
  e.held_lockset = t->lockset;
  e.fork_join_clock = fork_join_snapshot(t);
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
  for (uint32_t i = 0; i < n_snapshots; i++)
    rc_vc_destroy(&fork_join_snapshots[i]);
  rc_free(fork_join_snapshots, (size_t)snapshots_cap * sizeof(rc_vc));
  edges = 0;
  edge_slots = 0;
  fork_join_snapshots = 0;
  n_edges = edges_cap = edge_slots_cap = n_snapshots = snapshots_cap = 0;
}

const rc_lock_edge *rc_lock_edge_get(uint32_t index) {
  return index < n_edges ? &edges[index] : 0;
}
