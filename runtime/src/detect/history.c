/* history.c — interned call stacks and held-lock sets.
 *
 * Stacks form a trie of frames (parent, function, call site): a thread keeps
 * its current node, so attaching the full stack to an access costs one 32-bit
 * copy and identical stacks share one id (the same idea as TSan's stack depot,
 * but incremental: a push interns one frame, never a whole stack).
 *
 * Lock sets are hash-consed sorted arrays: each distinct set (with the
 * acquisition site/stack/mode of every member) gets one id; id 0 is the empty
 * set. Both tables are append-only for the whole run, so ids stay valid in the
 * record written at exit. */
#include "core/runtime.h"

#include <string.h>

/* Interns into `index` (hash → id + 1): walks a deterministic chain of
 * rehashed keys until it finds the equal object or a free key, so a 64-bit
 * hash collision costs one extra probe instead of merging two objects. */
typedef bool (*rc_intern_equal_fn)(uint32_t id, const void *probe);
typedef uint32_t (*rc_intern_create_fn)(const void *probe);

static uint32_t rc_intern(rc_map *index, uint64_t hash, const void *probe,
                          rc_intern_equal_fn equal,
                          rc_intern_create_fn create) {
  for (;;) {
    uint64_t key = hash ? hash : 1;
    void **slot = rc_map_insert(index, key);
    if (!*slot) {
      uint32_t id = create(probe);
      *slot = (void *)((uintptr_t)id + 1);
      return id;
    }
    uint32_t id = (uint32_t)((uintptr_t)*slot - 1);
    if (equal(id, probe))
      return id;
    hash = rc_hash64(key + 0x9e3779b97f4a7c15ULL);
  }
}

/* ---- stack trie ---- */

enum { RC_STACK_CHUNK_SHIFT = 12, RC_STACK_CHUNK = 1 << RC_STACK_CHUNK_SHIFT };

/* Nodes live in fixed-size chunks so rc_stack_node_get pointers stay valid
 * while the table grows. */
static rc_stack_node **g_stack_chunks;
static uint32_t g_stack_n_chunks, g_stack_chunks_cap;
static uint32_t g_stack_count; /* nodes in use, including node 0 */
static rc_map g_stack_index;

/* A direct-mapped cache of recent pushes in front of the hashed index: the
 * calls a loop makes (also several alternating calls from one frame) find
 * their frame with two multiplications instead of a chain of rc_hash64 and a
 * map probe. child 0 (the root, never a child) marks an empty line. */
enum { RC_STACK_PUSH_CACHE_BITS = 12 };
typedef struct rc_stack_push_cache_line {
  const rc_site *function;
  const rc_site *call_site;
  rc_stack_id parent;
  rc_stack_id child;
} rc_stack_push_cache_line;
static rc_stack_push_cache_line
    g_stack_push_cache[1u << RC_STACK_PUSH_CACHE_BITS];

static rc_stack_push_cache_line *
rc_stack_push_cache_line_for(rc_stack_id parent, const rc_site *function,
                             const rc_site *call_site) {
  uint64_t h = ((uint64_t)parent + 1) * 0x9e3779b97f4a7c15ULL ^
               (uintptr_t)call_site * 0xc2b2ae3d27d4eb4fULL ^
               (uintptr_t)function;
  h *= 0xff51afd7ed558ccdULL;
  return &g_stack_push_cache[h >> (64 - RC_STACK_PUSH_CACHE_BITS)];
}

static rc_stack_node *rc_stack_slot(rc_stack_id id) {
  return &g_stack_chunks[id >> RC_STACK_CHUNK_SHIFT][id & (RC_STACK_CHUNK - 1)];
}

static uint32_t rc_stack_create(const void *probe) {
  const rc_stack_node *frame = probe;
  if (g_stack_count == g_stack_n_chunks * (uint32_t)RC_STACK_CHUNK) {
    if (g_stack_n_chunks == g_stack_chunks_cap) {
      uint32_t cap = g_stack_chunks_cap ? g_stack_chunks_cap * 2 : 16;
      g_stack_chunks = rc_realloc(g_stack_chunks,
                                  g_stack_chunks_cap * sizeof *g_stack_chunks,
                                  cap * sizeof *g_stack_chunks);
      g_stack_chunks_cap = cap;
    }
    g_stack_chunks[g_stack_n_chunks++] =
        rc_alloc(RC_STACK_CHUNK * sizeof(rc_stack_node));
  }
  RC_CHECK(g_stack_count < UINT32_MAX);
  rc_stack_id id = g_stack_count++;
  *rc_stack_slot(id) = *frame;
  return id;
}

static bool rc_stack_equal(uint32_t id, const void *probe) {
  const rc_stack_node *a = rc_stack_slot(id), *b = probe;
  return a->parent == b->parent && a->function == b->function &&
         a->call_site == b->call_site;
}

static void rc_stack_ensure_root(void) {
  if (g_stack_count == 0) {
    rc_stack_node root = {0, 0, 0, 0};
    rc_stack_create(&root); /* node 0: the empty stack, not indexed */
  }
}

rc_stack_id rc_stack_push(rc_stack_id parent, const rc_site *function,
                          const rc_site *call_site) {
  rc_stack_ensure_root();
  RC_DCHECK(parent < g_stack_count);
  rc_stack_push_cache_line *line =
      rc_stack_push_cache_line_for(parent, function, call_site);
  if (RC_LIKELY(line->child != 0) && line->parent == parent &&
      line->function == function && line->call_site == call_site)
    return line->child;
  rc_stack_node frame = {parent, rc_stack_slot(parent)->depth + 1, function,
                         call_site};
  uint64_t hash = rc_hash64(
      parent ^
      rc_hash64((uintptr_t)function ^
                rc_hash64((uintptr_t)call_site + 0x632be59bd9b4e019ULL)));
  rc_stack_id child =
      rc_intern(&g_stack_index, hash, &frame, rc_stack_equal, rc_stack_create);
  *line = (rc_stack_push_cache_line){function, call_site, parent, child};
  return child;
}

const rc_stack_node *rc_stack_node_get(rc_stack_id id) {
  rc_stack_ensure_root();
  RC_CHECK(id < g_stack_count);
  return rc_stack_slot(id);
}

/* ---- lock sets ---- */

typedef struct rc_lockset_entry {
  uint32_t count;
  uint32_t *ids;      /* sorted ascending, no duplicates */
  rc_held_lock *held; /* parallel to ids */
} rc_lockset_entry;

static rc_lockset_entry *g_locksets; /* by id; entry 0 is the empty set */
static uint32_t g_lockset_count, g_lockset_cap;
static rc_map g_lockset_index;

/* A candidate set while it is being looked up: not yet owned by the table. */
typedef struct rc_lockset_probe {
  uint32_t count;
  const rc_held_lock *held;
} rc_lockset_probe;

static void rc_lockset_ensure_empty(void) {
  if (g_lockset_count == 0) {
    g_lockset_cap = 64;
    g_locksets = rc_alloc(g_lockset_cap * sizeof *g_locksets);
    g_lockset_count = 1; /* entry 0 = {0, null, null} */
  }
}

static bool rc_held_equal(const rc_held_lock *a, const rc_held_lock *b) {
  return a->lock_id == b->lock_id && a->site == b->site &&
         a->stack == b->stack && a->write == b->write;
}

static bool rc_lockset_equal(uint32_t id, const void *probe_ptr) {
  const rc_lockset_probe *probe = probe_ptr;
  const rc_lockset_entry *e = &g_locksets[id];
  if (e->count != probe->count)
    return false;
  for (uint32_t i = 0; i < e->count; i++)
    if (!rc_held_equal(&e->held[i], &probe->held[i]))
      return false;
  return true;
}

static uint32_t rc_lockset_create(const void *probe_ptr) {
  const rc_lockset_probe *probe = probe_ptr;
  if (g_lockset_count == g_lockset_cap) {
    g_locksets = rc_realloc(g_locksets, g_lockset_cap * sizeof *g_locksets,
                            2 * g_lockset_cap * sizeof *g_locksets);
    g_lockset_cap *= 2;
  }
  rc_lockset_entry *e = &g_locksets[g_lockset_count];
  e->count = probe->count;
  e->ids = rc_alloc(probe->count * sizeof *e->ids);
  e->held = rc_alloc(probe->count * sizeof *e->held);
  for (uint32_t i = 0; i < probe->count; i++) {
    e->held[i] = probe->held[i];
    e->ids[i] = probe->held[i].lock_id;
  }
  return g_lockset_count++;
}

static rc_lockset_id rc_lockset_intern(const rc_held_lock *held,
                                       uint32_t count) {
  if (count == 0)
    return 0;
  uint64_t hash = rc_hash64(count);
  for (uint32_t i = 0; i < count; i++) {
    hash = rc_hash64(hash ^ held[i].lock_id);
    hash = rc_hash64(hash ^ (uintptr_t)held[i].site);
    hash = rc_hash64(hash ^ ((uint64_t)held[i].stack << 1 | held[i].write));
  }
  rc_lockset_probe probe = {count, held};
  return rc_intern(&g_lockset_index, hash, &probe, rc_lockset_equal,
                   rc_lockset_create);
}

/* Scratch for building a candidate set; the runtime is serialized by the
 * run token, so one buffer is enough. */
static rc_held_lock *g_lockset_scratch;
static uint32_t g_lockset_scratch_cap;

static rc_held_lock *rc_lockset_scratch(uint32_t n) {
  if (n > g_lockset_scratch_cap) {
    uint32_t cap = g_lockset_scratch_cap ? g_lockset_scratch_cap : 16;
    while (cap < n)
      cap *= 2;
    g_lockset_scratch = rc_realloc(
        g_lockset_scratch, g_lockset_scratch_cap * sizeof *g_lockset_scratch,
        cap * sizeof *g_lockset_scratch);
    g_lockset_scratch_cap = cap;
  }
  return g_lockset_scratch;
}

/* A direct-mapped cache of lock-set transitions in front of the interning:
 * a lock loop goes {..} -> {.., m} -> {..} on every iteration, and with the
 * cache each step costs one multiplication and a compare instead of a copy
 * of the set, a chain of rc_hash64 over every member and a map probe. The
 * key is complete: interned sets are immutable for the whole run, so the
 * result of adding a member depends only on the set's id and the member's
 * four fields (lock, site, stack, mode), and of removing one on the set's
 * id and the lock. `adds` tells the two kinds apart. An empty line (all
 * zero) matches neither: an addition line has `adds` set and a removal
 * line a non-empty `from`. */
enum { RC_LOCKSET_STEP_CACHE_BITS = 10 };
typedef struct rc_lockset_step_line {
  rc_lockset_id from, to;
  uint32_t lock_id;
  rc_stack_id stack;
  const rc_site *site;
  bool write, adds;
} rc_lockset_step_line;
static rc_lockset_step_line
    g_lockset_step_cache[1u << RC_LOCKSET_STEP_CACHE_BITS];

static rc_lockset_step_line *rc_lockset_step_line_for(rc_lockset_id from,
                                                      uint32_t lock_id,
                                                      const rc_site *site) {
  uint64_t h = ((uint64_t)from << 32 | lock_id) * 0x9e3779b97f4a7c15ULL ^
               (uintptr_t)site;
  h *= 0xff51afd7ed558ccdULL;
  return &g_lockset_step_cache[h >> (64 - RC_LOCKSET_STEP_CACHE_BITS)];
}

static rc_lockset_id rc_lockset_add(rc_lockset_id set,
                                    const rc_held_lock *held);

rc_lockset_id rc_lockset_with_held(rc_lockset_id set,
                                   const rc_held_lock *held) {
  rc_lockset_step_line *line =
      rc_lockset_step_line_for(set, held->lock_id, held->site);
  if (RC_LIKELY(line->adds) && line->from == set &&
      line->lock_id == held->lock_id && line->site == held->site &&
      line->stack == held->stack && line->write == held->write)
    return line->to;
  rc_lockset_id to = rc_lockset_add(set, held);
  *line = (rc_lockset_step_line){
      set, to, held->lock_id, held->stack, held->site, held->write, true};
  return to;
}

static rc_lockset_id rc_lockset_add(rc_lockset_id set,
                                    const rc_held_lock *held) {
  rc_lockset_ensure_empty();
  RC_CHECK(set < g_lockset_count);
  const rc_lockset_entry *e = &g_locksets[set];
  uint32_t pos = 0;
  while (pos < e->count && e->ids[pos] < held->lock_id)
    pos++;
  if (pos < e->count && e->ids[pos] == held->lock_id)
    return set; /* already held (recursive acquisition): keep the first */
  rc_held_lock *scratch = rc_lockset_scratch(e->count + 1);
  /* e may move when the table grows in rc_lockset_intern, so copy first. */
  memcpy(scratch, e->held, pos * sizeof *scratch);
  scratch[pos] = *held;
  memcpy(scratch + pos + 1, e->held + pos, (e->count - pos) * sizeof *scratch);
  return rc_lockset_intern(scratch, e->count + 1);
}

rc_lockset_id rc_lockset_with(rc_lockset_id set, uint32_t lock_id) {
  rc_held_lock held = {lock_id, 0, 0, true};
  return rc_lockset_with_held(set, &held);
}

static rc_lockset_id rc_lockset_remove(rc_lockset_id set, uint32_t lock_id);

rc_lockset_id rc_lockset_without(rc_lockset_id set, uint32_t lock_id) {
  if (set == 0)
    return 0;
  rc_lockset_step_line *line = rc_lockset_step_line_for(set, lock_id, 0);
  if (RC_LIKELY(line->from == set) && !line->adds && line->lock_id == lock_id)
    return line->to;
  rc_lockset_id to = rc_lockset_remove(set, lock_id);
  *line = (rc_lockset_step_line){set, to, lock_id, 0, 0, false, false};
  return to;
}

static rc_lockset_id rc_lockset_remove(rc_lockset_id set, uint32_t lock_id) {
  rc_lockset_ensure_empty();
  RC_CHECK(set < g_lockset_count);
  const rc_lockset_entry *e = &g_locksets[set];
  uint32_t pos = 0;
  while (pos < e->count && e->ids[pos] != lock_id)
    pos++;
  if (pos == e->count)
    return set;
  uint32_t count = e->count - 1;
  rc_held_lock *scratch = rc_lockset_scratch(count ? count : 1);
  memcpy(scratch, e->held, pos * sizeof *scratch);
  memcpy(scratch + pos, e->held + pos + 1, (count - pos) * sizeof *scratch);
  return rc_lockset_intern(scratch, count);
}

const uint32_t *rc_lockset_get(rc_lockset_id id, uint32_t *count) {
  rc_lockset_ensure_empty();
  RC_CHECK(id < g_lockset_count);
  *count = g_locksets[id].count;
  return g_locksets[id].ids;
}

const rc_held_lock *rc_lockset_get_held(rc_lockset_id id, uint32_t *count) {
  rc_lockset_ensure_empty();
  RC_CHECK(id < g_lockset_count);
  *count = g_locksets[id].count;
  return g_locksets[id].held;
}
