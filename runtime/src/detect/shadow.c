/* shadow.c — shadow memory and the data-race check (FastTrack, Flanagan &
 * Freund, PLDI'09, with TSan-style byte-precise shadow cells, Serebryany &
 * Iskhodzhanov, WBIA'09; hot/cold split as in TSan v3). The layout is in
 * shadow.h.
 *
 * A cell remembers one earlier access: thread, epoch (that thread's clock at
 * the access), which bytes of the granule (mask), write/atomic, and in its
 * cold context the site, size, stack and lock set for the report. An access
 * races with a cell of another thread when their byte masks overlap, one of
 * them writes, not both are atomic, and the cell's epoch is not covered by
 * the accessing thread's vector clock (the FastTrack epoch test, per cell).
 *
 * Only the thread holding the run token gets here, so no locks are needed. */
#include "detect/shadow.h"
#include "record/schedule.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

enum { RC_SHADOW_PAGE = 4096 };
/* Below this many shadow bytes clearing uses memset; above it whole pages are
 * dropped with madvise, which is cheaper than touching them. */
#define RC_SHADOW_MADVISE_MIN (64 * 1024)

rc_shadow_cell **rc_shadow_directory;
/* Round-robin victim choice when all cells of a granule are busy: depends only
 * on the (deterministic) sequence of accesses, never on rand(). */
static uint32_t g_shadow_evictions;
/* Unordered site pairs already reported (hash → rc_site_pair chain). */
static rc_map g_reported_pairs;

typedef struct rc_site_pair {
  const rc_site *a, *b;
} rc_site_pair;

static void *rc_shadow_mmap(size_t size) {
  long r = rc_raw_syscall(SYS_mmap, 0, (long)size, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (r < 0 && r > -4096)
    rc_fatal("cannot reserve %zu bytes of shadow memory (errno %ld)", size, -r);
  return (void *)r;
}

/* ---- report contexts ----
 * A cell's cold half names what a report says about its access (site, size,
 * stack, lock set) by the id of that tuple in a table: one 4-byte id per
 * cell instead of the 16-byte tuple keeps the shadow at 48 bytes per
 * granule, so array sweeps move a third less shadow through the caches.
 * Ids are handed out in the order contexts are first stored, which the
 * serialized run makes deterministic. A small direct-mapped cache in front of
 * the map keeps the store path cheap. */
typedef struct rc_access_context {
  const rc_site *site;
  uint32_t size; /* bytes of the whole access */
  rc_stack_id stack;
  rc_lockset_id lockset;
} rc_access_context;

enum { RC_CONTEXT_CACHE = 1024 };
static rc_access_context *g_contexts; /* by id; id 0 is unused */
static uint32_t g_context_count, g_context_cap;
static rc_map g_context_ids; /* hash of the tuple (probed on collision) → id */
static struct {
  rc_access_context key;
  uint32_t id;
} g_context_cache[RC_CONTEXT_CACHE];

static bool rc_access_context_equal(const rc_access_context *a,
                                    const rc_access_context *b) {
  return a->site == b->site && a->size == b->size && a->stack == b->stack &&
         a->lockset == b->lockset;
}

static rc_shadow_context rc_context_id(const rc_site *site, uint32_t size,
                                       rc_stack_id stack,
                                       rc_lockset_id lockset) {
  rc_access_context key = {site, size, stack, lockset};
  /* The cache line from a multiplicative mix, inline: this runs once per
   * slow-path access or box row, and the full hash only on a miss. */
  uint64_t mixed = (uintptr_t)site * 0x9e3779b97f4a7c15ULL ^
                   ((uint64_t)stack << 32 | lockset) * 0xc2b2ae3d27d4eb4fULL ^
                   size;
  size_t line = (size_t)(mixed ^ mixed >> 29 ^ mixed >> 47) &
                (RC_CONTEXT_CACHE - 1);
  if (RC_LIKELY(g_context_cache[line].id &&
                rc_access_context_equal(&g_context_cache[line].key, &key)))
    return g_context_cache[line].id;
  uint64_t probe = rc_hash64((uintptr_t)site ^
                             rc_hash64(((uint64_t)stack << 32 | lockset) ^
                                       rc_hash64(size)));
  uint32_t id;
  for (;;) {
    if (!probe)
      probe = 1;
    void **slot = rc_map_insert(&g_context_ids, probe);
    if (!*slot) {
      if (g_context_count + 1 >= g_context_cap) {
        uint32_t cap = g_context_cap ? g_context_cap * 2 : 1024;
        g_contexts = rc_realloc(g_contexts, g_context_cap * sizeof *g_contexts,
                                cap * sizeof *g_contexts);
        g_context_cap = cap;
      }
      RC_CHECK(g_context_count + 1 < UINT32_MAX);
      id = ++g_context_count;
      g_contexts[id] = key;
      *slot = (void *)(uintptr_t)id;
      break;
    }
    id = (uint32_t)(uintptr_t)*slot;
    if (rc_access_context_equal(&g_contexts[id], &key))
      break;
    probe = rc_hash64(probe + 0x9e3779b97f4a7c15ULL); /* collision: next */
  }
  g_context_cache[line].key = key;
  g_context_cache[line].id = id;
  return id;
}

static const rc_access_context *rc_context_by_id(rc_shadow_context id) {
  RC_CHECK(id && id <= g_context_count);
  return &g_contexts[id];
}

/* ---- chunks ---- */

/* The hot cells of the granule holding `addr`, mapping its chunk if needed;
 * null when `addr` is outside the tracked address space. */
static rc_shadow_cell *rc_shadow_cells_create(uintptr_t addr) {
  size_t index = addr >> RC_CHUNK_SHIFT;
  if (RC_UNLIKELY(index >= RC_DIRECTORY_ENTRIES))
    return 0;
  if (RC_UNLIKELY(!rc_shadow_directory))
    rc_shadow_directory =
        rc_shadow_mmap(RC_DIRECTORY_ENTRIES * sizeof *rc_shadow_directory);
  if (RC_UNLIKELY(!rc_shadow_directory[index]))
    rc_shadow_directory[index] = rc_shadow_mmap(RC_CHUNK_SHADOW_BYTES);
  return rc_shadow_lookup(addr);
}

/* The contexts of `cells`, granule or block cells of the chunk holding
 * `addr`: parallel to granule cells in the cold region, beside block cells
 * in their line (shadow.h). */
static rc_shadow_context *rc_shadow_contexts(const rc_shadow_cell *cells,
                                             uintptr_t addr) {
  const rc_shadow_cell *chunk = rc_shadow_directory[addr >> RC_CHUNK_SHIFT];
  if ((size_t)(cells - chunk) >= RC_CHUNK_HOT_CELLS)
    return (rc_shadow_context *)(cells + RC_SHADOW_CELLS);
  rc_shadow_context *cold =
      (rc_shadow_context *)((char *)chunk + RC_CHUNK_HOT_BYTES);
  return cold + (cells - chunk);
}

/* ---- blocks (dynamic granularity, shadow.h) ----
 * A barrier-phased array kernel touches every granule of its arrays in every
 * phase, and each phase is a new epoch, so each granule's first check takes
 * the slow path. When whole-block accesses keep all 8 granules of a block
 * alike, the block is checked once instead, through its block cells: the
 * check of a block cell is exactly the check each granule would have made. */

bool rc_shadow_blocks_enabled = true;

void rc_thread_epoch_changed(rc_thread *t) {
  /* Clock 0 is never an epoch (epochs start at 1), so with it no cell
   * matches, and a tid beyond a cell's 16 bits always takes the slow path,
   * which stops. */
  t->epoch_cell = t->tid > UINT16_MAX
                      ? rc_cell_make(0, UINT16_MAX, 0, 0)
                      : rc_cell_make(rc_vc_get(&t->vc, t->tid), t->tid, 0, 0);
}

void rc_thread_tick(rc_thread *t) {
  rc_vc_set(&t->vc, t->tid, rc_vc_get(&t->vc, t->tid) + 1);
  rc_thread_epoch_changed(t);
}

/* The block cells of the block holding `addr`; its chunk must exist. */
static inline rc_shadow_cell *rc_block_cells(uintptr_t addr) {
  char *chunk = (char *)rc_shadow_directory[addr >> RC_CHUNK_SHIFT];
  return (rc_shadow_cell *)(chunk + RC_CHUNK_BLOCKS_OFFSET +
                            ((addr & (RC_CHUNK_BYTES - 1)) >> RC_BLOCK_SHIFT) *
                                RC_BLOCK_LINE);
}

static inline bool rc_cells_empty(const rc_shadow_cell *cells, int n) {
  uint64_t any = 0;
  for (int i = 0; i < n; i++)
    any |= cells[i];
  return any == 0;
}

/* Bytes of a line that hold its cells and their contexts; its members
 * byte follows them, in the spare bytes. */
#define RC_LINE_USED                                                           \
  (RC_SHADOW_CELLS * (sizeof(rc_shadow_cell) + sizeof(rc_shadow_context)))

/* The members of a block or super line: the parts (granules of a block,
 * blocks of a super-block; bit i: part i) whose history the line holds.
 * Their own cells (granule cells, block lines) are empty. 0 when the line is
 * empty; 0xFF when it stands for all 8 parts ("coarse"). Members let a block
 * or super-block shared with neighbouring data (the first block of a grid
 * row that does not start on a block) still be checked once for the rest. */
static inline uint8_t *rc_line_members_slot(rc_shadow_cell *line) {
  return (uint8_t *)line + RC_LINE_USED;
}
static inline uint8_t rc_line_members(const rc_shadow_cell *line) {
  return *((const uint8_t *)line + RC_LINE_USED);
}
static inline bool rc_block_is_coarse(const rc_shadow_cell *block) {
  return rc_line_members(block) == 0xFF;
}
/* The bit of the granule holding `addr` among its block's members. */
static inline uint8_t rc_granule_bit(uintptr_t addr) {
  return (uint8_t)(1u << ((addr >> RC_GRANULE_SHIFT) & (RC_BLOCK_GRANULES - 1)));
}
/* The granules of the block at `block_addr` that [lo, hi) covers wholly
 * (`whole`) or touches; [lo, hi) lies in the block. */
static inline uint8_t rc_granules_within(uintptr_t block_addr, uintptr_t lo,
                                         uintptr_t hi, bool whole) {
  unsigned first = (unsigned)(lo - block_addr), last = (unsigned)(hi - block_addr);
  first = whole ? (first + RC_GRANULE - 1) >> RC_GRANULE_SHIFT
                : first >> RC_GRANULE_SHIFT;
  last = whole ? last >> RC_GRANULE_SHIFT
               : (last + RC_GRANULE - 1) >> RC_GRANULE_SHIFT;
  return first < last ? (uint8_t)(((1u << last) - 1) & ~((1u << first) - 1))
                      : 0;
}

/* Gives every member granule of a block the block line's cells and
 * contexts; the line empties. */
static void rc_block_split(rc_shadow_cell *block, uintptr_t block_addr) {
  rc_shadow_cell *granules = rc_shadow_lookup(block_addr);
  const rc_shadow_context *block_contexts = rc_shadow_contexts(block, block_addr);
  rc_shadow_context *contexts = rc_shadow_contexts(granules, block_addr);
  uint8_t members = rc_line_members(block);
  for (int g = 0; g < RC_BLOCK_GRANULES; g++)
    RC_DCHECK(!(members >> g & 1) ||
              rc_cells_empty(granules + g * RC_SHADOW_CELLS, RC_SHADOW_CELLS));
  for (int g = 0; g < RC_BLOCK_GRANULES; g++)
    if (members >> g & 1)
      for (int i = 0; i < RC_SHADOW_CELLS; i++) {
        granules[g * RC_SHADOW_CELLS + i] = block[i];
        contexts[g * RC_SHADOW_CELLS + i] = block_contexts[i];
      }
  memset(block, 0, RC_BLOCK_LINE);
}

/* The super line of the super-block holding `addr`; its chunk must exist. */
static inline rc_shadow_cell *rc_super_line(uintptr_t addr) {
  char *chunk = (char *)rc_shadow_directory[addr >> RC_CHUNK_SHIFT];
  return (rc_shadow_cell *)(chunk + RC_CHUNK_SUPERS_OFFSET +
                            ((addr & (RC_CHUNK_BYTES - 1)) >> RC_SUPER_SHIFT) *
                                RC_BLOCK_LINE);
}

/* The bit of the block holding `addr` among its super-block's members. */
static inline uint8_t rc_block_bit(uintptr_t addr) {
  return (uint8_t)(1u << ((addr >> RC_BLOCK_SHIFT) & (RC_SUPER_BLOCKS - 1)));
}
static inline rc_shadow_cell *rc_line_of_block(rc_shadow_cell *first_block,
                                               int b) {
  return (rc_shadow_cell *)((char *)first_block + b * RC_BLOCK_LINE);
}

/* Gives each member block of a coarse super-block the super line's cells
 * and contexts (they become coarse blocks); the super line empties. */
static void rc_super_split(rc_shadow_cell *super, uintptr_t super_addr) {
  rc_shadow_cell *block = rc_block_cells(super_addr);
  uint8_t members = rc_line_members(super);
  for (int b = 0; b < RC_SUPER_BLOCKS; b++)
    if (members >> b & 1) {
      rc_shadow_cell *line = rc_line_of_block(block, b);
      memcpy(line, super, RC_LINE_USED);
      *rc_line_members_slot(line) = 0xFF;
    }
  memset(super, 0, RC_BLOCK_LINE);
}

/* Splits the super-block holding `addr` when it is coarse (whichever its
 * members: a clear's boundary may lie in a block beside them). */
static inline void rc_super_split_at(uintptr_t addr) {
  rc_shadow_cell *super = rc_super_line(addr);
  if (RC_UNLIKELY(rc_line_members(super)))
    rc_super_split(super, addr & ~(uintptr_t)(RC_SUPER - 1));
}

/* Splits the super-block holding `addr` when the block holding it is one of
 * its members; the super line says nothing about the other blocks. */
static inline void rc_super_split_member(uintptr_t addr) {
  rc_shadow_cell *super = rc_super_line(addr);
  if (RC_UNLIKELY(rc_line_members(super) & rc_block_bit(addr)))
    rc_super_split(super, addr & ~(uintptr_t)(RC_SUPER - 1));
}

/* Whether cells `a` (contexts `ca`) and `b` (`cb`) are the same, position
 * by position, with the same contexts behind the non-empty ones. */
static bool rc_cells_alike(const rc_shadow_cell *a, const rc_shadow_context *ca,
                           const rc_shadow_cell *b,
                           const rc_shadow_context *cb) {
  for (int i = 0; i < RC_SHADOW_CELLS; i++)
    if (a[i] != b[i] || (a[i] && ca[i] != cb[i]))
      return false;
  return true;
}

/* After an access covered the parts `whole` of a block or super-block (each
 * checked through its own cells or the line): a part alike to a non-empty
 * line joins its members; with no members yet, two or more non-empty parts
 * all alike become the members. Alike cells hold the same history, so
 * either move loses nothing. Part i's cells are at parts + i * part_cells,
 * its contexts at part_contexts + i * part_context_stride; only the parts in
 * `eligible` may join (a super-block takes coarse blocks only), and with no
 * members yet all of `whole` must be. A part that joins has its first
 * `part_bytes` zeroed. */
static void rc_line_absorb(rc_shadow_cell *line, uint8_t whole,
                           rc_shadow_cell *parts,
                           const rc_shadow_context *part_contexts,
                           size_t part_cells, size_t part_context_stride,
                           size_t part_bytes, uint8_t eligible) {
  uint8_t members = rc_line_members(line);
  uint8_t candidates = (uint8_t)(whole & ~members);
  if (!candidates)
    return;
  rc_shadow_context *line_contexts = (rc_shadow_context *)(line + RC_SHADOW_CELLS);
  if (!members) {
    if (__builtin_popcount(candidates) < 2 || (candidates & ~eligible))
      return;
    int model = __builtin_ctz(candidates);
    const rc_shadow_cell *cells = parts + model * part_cells;
    const rc_shadow_context *contexts =
        part_contexts + model * part_context_stride;
    if (rc_cells_empty(cells, RC_SHADOW_CELLS))
      return;
    for (int i = model + 1; i < RC_SUPER_BLOCKS; i++)
      if ((candidates >> i & 1) &&
          !rc_cells_alike(cells, contexts, parts + i * part_cells,
                          part_contexts + i * part_context_stride))
        return;
    memcpy(line, cells, RC_SHADOW_CELLS * sizeof *line);
    memcpy(line_contexts, contexts, RC_SHADOW_CELLS * sizeof *line_contexts);
  } else {
    candidates &= eligible;
    for (int i = 0; i < RC_SUPER_BLOCKS; i++)
      if ((candidates >> i & 1) &&
          !rc_cells_alike(line, line_contexts, parts + i * part_cells,
                          part_contexts + i * part_context_stride))
        candidates &= (uint8_t)~(1u << i);
  }
  for (int i = 0; i < RC_SUPER_BLOCKS; i++)
    if (candidates >> i & 1)
      memset(parts + i * part_cells, 0, part_bytes);
  *rc_line_members_slot(line) = (uint8_t)(members | candidates);
}

/* rc_line_absorb for a super-block: its parts are block lines. */
static void rc_super_absorb(rc_shadow_cell *super, uintptr_t super_addr,
                            uint8_t whole) {
  rc_shadow_cell *first_block = rc_block_cells(super_addr);
  uint8_t coarse = 0;
  for (int b = 0; b < RC_SUPER_BLOCKS; b++)
    if ((whole >> b & 1) && rc_block_is_coarse(rc_line_of_block(first_block, b)))
      coarse |= (uint8_t)(1u << b);
  rc_line_absorb(super, whole, first_block,
                 (const rc_shadow_context *)(first_block + RC_SHADOW_CELLS),
                 RC_BLOCK_LINE / sizeof(rc_shadow_cell),
                 RC_BLOCK_LINE / sizeof(rc_shadow_context), RC_BLOCK_LINE,
                 coarse);
}

/* rc_line_absorb for a block: its parts are granules. */
static void rc_block_absorb(rc_shadow_cell *block, rc_shadow_cell *granules,
                            uintptr_t block_addr, uint8_t whole) {
  rc_line_absorb(block, whole, granules,
                 rc_shadow_contexts(granules, block_addr), RC_SHADOW_CELLS,
                 RC_SHADOW_CELLS, RC_SHADOW_CELLS * sizeof *granules, 0xFF);
}

/* Splits the super-block, then the block, holding `addr`, where their
 * lines hold anything. */
static void rc_lines_split_at(uintptr_t addr) {
  if (!rc_shadow_lookup(addr))
    return; /* no shadow yet, or outside user space */
  rc_super_split_at(addr);
  rc_shadow_cell *block = rc_block_cells(addr);
  if (rc_line_members(block))
    rc_block_split(block, addr & ~(uintptr_t)(RC_BLOCK - 1));
}

/* ---- reports ---- */

static bool rc_site_pair_equal(const rc_site_pair *p, const rc_site *a,
                               const rc_site *b) {
  return p->a == a && p->b == b;
}

/* True the first time the unordered pair {x, y} is seen. */
static bool rc_first_report_of_pair(const rc_site *x, const rc_site *y) {
  const rc_site *a = (uintptr_t)x <= (uintptr_t)y ? x : y;
  const rc_site *b = (uintptr_t)x <= (uintptr_t)y ? y : x;
  uint64_t key = rc_hash64((uintptr_t)a ^ rc_hash64((uintptr_t)b + 1));
  for (;;) {
    if (!key)
      key = 1;
    void **slot = rc_map_insert(&g_reported_pairs, key);
    if (!*slot) {
      rc_site_pair *pair = rc_alloc(sizeof *pair);
      pair->a = a;
      pair->b = b;
      *slot = pair;
      return true;
    }
    if (rc_site_pair_equal(*slot, a, b))
      return false;
    key = rc_hash64(key + 0x9e3779b97f4a7c15ULL); /* hash collision: next */
  }
}

static __attribute__((noinline, cold)) void
rc_report_race(rc_thread *t, uintptr_t granule_addr, uint8_t mask,
               uint32_t size, bool write, bool atomic, const rc_site *site,
               rc_shadow_cell previous, rc_shadow_context previous_context) {
  const rc_access_context *context = rc_context_by_id(previous_context);
  const rc_site *previous_site = context->site;
  if (!rc_first_report_of_pair(site, previous_site))
    return;
  uint8_t previous_flags = rc_cell_flags(previous);
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_DATA_RACE;
  f->accesses[0] = (rc_access){.tid = t->tid,
                               .write = write,
                               .atomic = atomic,
                               .size = size,
                               .site = site,
                               .stack = t->current_stack,
                               .lockset = t->lockset};
  f->accesses[1] =
      (rc_access){.tid = rc_cell_tid(previous),
                  .write = (previous_flags & RC_CELL_WRITE) != 0,
                  .atomic = (previous_flags & RC_CELL_ATOMIC) != 0,
                  .size = context->size,
                  .site = previous_site,
                  .stack = context->stack,
                  .lockset = context->lockset};
  /* Describe the first byte both accesses touch, now, while the memory (and
   * its heap block) is still alive. */
  uintptr_t conflict =
      granule_addr + (uintptr_t)__builtin_ctz(rc_cell_mask(previous) & mask);
  rc_describe_address(conflict, &f->variable);
  rc_add_finding(f);
}

/* ---- the check ---- */

typedef struct rc_shadow_probe rc_shadow_probe;
static void rc_remember_cell(const rc_shadow_probe *p, uintptr_t granule_addr,
                             int index);

/* One access as the granule loop sees it. */
typedef struct rc_shadow_probe {
  rc_thread *t;
  rc_clock epoch;
  uint32_t size;
  bool write, atomic;
  uint8_t flags;
  const rc_site *site;
  rc_shadow_context context; /* interned (site, size, stack, lock set) */
  bool check_only; /* report races, store nothing (the shadow is cleared next) */
  bool span;       /* part of a box check (rc_shadow_access_span/_mask) */
} rc_shadow_probe;

static void rc_remember_cell(const rc_shadow_probe *p, uintptr_t granule_addr,
                             int index) {
  /* Only single plain accesses take the widening shortcut; a box's span
   * or mask covers its granules at once. */
  if (p->atomic || p->span)
    return;
  rc_thread *t = p->t;
  t->last_cell.granule = granule_addr;
  t->last_cell.site = p->site;
  t->last_cell.stack = t->current_stack;
  t->last_cell.lockset = t->lockset;
  t->last_cell.epoch = p->epoch;
  t->last_cell.size = p->size;
  t->last_cell.index = (uint8_t)index;
  t->last_cell.flags = p->flags;
}

static inline bool rc_context_matches(const rc_shadow_context *c,
                                      const rc_shadow_probe *p) {
  return *c == p->context;
}

/* rc_shadow_granule's common case, without its clock reads: a plain access
 * finds only cells of its own thread, from earlier epochs (a thread going
 * over its own data again in a new phase), and one of them is superseded
 * (covered by `mask`, and not a write hidden behind a read) or empty.
 * Nothing can race; `fresh` (this thread, epoch, mask and flags) goes where
 * rc_shadow_granule would put it, other superseded cells are freed, and the
 * index stored is returned; -1, having changed nothing, in any other case.
 * `contexts` are the cells' contexts, or null for those of granule cells
 * (found only when storing). */
static inline __attribute__((always_inline)) int
rc_cells_own_store(rc_shadow_cell *cells, rc_shadow_context *contexts,
                   uintptr_t granule_addr, rc_shadow_cell fresh, uint8_t mask,
                   bool write, rc_shadow_context context) {
  uint64_t tid_bits = (uint64_t)UINT16_MAX << RC_CELL_TID_SHIFT;
  int store = -1, empty = -1;
  unsigned superseded = 0;
  for (int i = 0; i < RC_SHADOW_CELLS; i++) {
    rc_shadow_cell c = cells[i];
    if (!c) {
      if (empty < 0)
        empty = i;
      continue;
    }
    if (((c ^ fresh) & tid_bits) || rc_cell_clock(c) == rc_cell_clock(fresh))
      return -1; /* another thread's cell, or a merge candidate */
    if ((rc_cell_mask(c) & ~mask) == 0 &&
        (write || !(rc_cell_flags(c) & RC_CELL_WRITE))) {
      superseded |= 1u << i;
      if (store < 0)
        store = i;
    }
  }
  if (store < 0)
    store = empty;
  if (store < 0)
    return -1; /* eviction: the general path decides */
  for (int i = 0; i < RC_SHADOW_CELLS; i++)
    if ((superseded >> i & 1) && i != store)
      cells[i] = 0;
  cells[store] = fresh;
  if (!contexts)
    contexts = rc_shadow_contexts(cells, granule_addr);
  contexts[store] = context;
  return store;
}

static inline bool rc_cells_own_update(const rc_shadow_probe *p,
                                       rc_shadow_cell *cells,
                                       uintptr_t granule_addr, uint8_t mask) {
  if (p->atomic || p->check_only)
    return false;
  int store = rc_cells_own_store(
      cells, 0, granule_addr, rc_cell_make(p->epoch, p->t->tid, mask, p->flags),
      mask, p->write, p->context);
  if (store < 0)
    return false;
  rc_remember_cell(p, granule_addr, store);
  return true;
}

/* The slow path of one granule. Callers have already found no cell of this
 * thread and epoch covering the access (the same-epoch test), except for a
 * free's check-only pass, to which such a cell makes no difference. */
static void rc_shadow_granule(const rc_shadow_probe *p, rc_shadow_cell *cells,
                              uintptr_t granule_addr, uint8_t mask) {
  if (rc_cells_own_update(p, cells, granule_addr, mask))
    return;
  rc_thread *t = p->t;
  rc_shadow_context *contexts = 0; /* loaded on first need */
  int store = -1; /* a cell the new access supersedes, else an empty one */
  int empty = -1;
  int merge = -1; /* this thread's cell of the same access in this epoch */
  for (int i = 0; i < RC_SHADOW_CELLS; i++) {
    rc_shadow_cell c = cells[i];
    uint8_t c_mask = rc_cell_mask(c);
    if (c_mask == 0) {
      if (empty < 0)
        empty = i;
      continue;
    }
    uint8_t c_flags = rc_cell_flags(c);
    bool c_write = (c_flags & RC_CELL_WRITE) != 0;
    bool c_atomic = (c_flags & RC_CELL_ATOMIC) != 0;
    bool covered = (c_mask & ~mask) == 0;
    bool superseded;
    if (rc_cell_tid(c) == t->tid) {
      /* The same site touching the next bytes in the same epoch (a loop over
       * an array of chars or shorts) widens its cell instead of taking
       * another one, so the granule does not fill up and the next pass over
       * the bytes takes the same-epoch fast path. */
      if (merge < 0 && rc_cell_clock(c) == p->epoch && c_flags == p->flags) {
        if (!contexts)
          contexts = rc_shadow_contexts(cells, granule_addr);
        if (rc_context_matches(&contexts[i], p)) {
          merge = i;
          continue;
        }
      }
      /* A later access of the same thread to the same bytes finds every race
       * the earlier one would, if it is at least as strong: write >= read,
       * plain >= atomic. */
      superseded = covered && (p->write || !c_write) && (!p->atomic || c_atomic);
    } else {
      if (!(c_mask & mask))
        continue;
      bool ordered = rc_cell_clock(c) <= rc_vc_get(&t->vc, rc_cell_tid(c));
      if (!ordered && (p->write || c_write) && !(p->atomic && c_atomic)) {
        if (!contexts)
          contexts = rc_shadow_contexts(cells, granule_addr);
        rc_report_race(t, granule_addr, mask, p->size, p->write, p->atomic,
                       p->site, c, contexts[i]);
        continue;
      }
      /* FastTrack's write rule: a plain write ordered after the cell
       * conflicts with anything the cell conflicts with. */
      superseded = ordered && covered && p->write && !p->atomic;
    }
    if (superseded) {
      if (store < 0)
        store = i;
      else if (!p->check_only)
        cells[i] = 0; /* a second superseded cell: free it */
    }
  }
  if (p->check_only)
    return;
  if (merge >= 0) {
    /* The widened cell stands for the new access too, so a cell it
     * supersedes is no longer needed. */
    cells[merge] |= (uint64_t)mask << RC_CELL_MASK_SHIFT;
    if (store >= 0)
      cells[store] = 0;
    rc_remember_cell(p, granule_addr, merge);
    return;
  }
  if (store < 0)
    store = empty;
  if (store < 0)
    store = (int)(g_shadow_evictions++ % RC_SHADOW_CELLS);
  if (!contexts)
    contexts = rc_shadow_contexts(cells, granule_addr);
  cells[store] = rc_cell_make(p->epoch, t->tid, mask, p->flags);
  contexts[store] = p->context;
  rc_remember_cell(p, granule_addr, store);
}

/* The next bytes of the access rc_remember_cell saw last, in the same
 * granule and epoch: widen its cell, as the slow path's merge would, when no
 * other cell shares a byte with them (nothing to report, nothing superseded).
 * Saves the site id lookup and the cold context read per byte of a byte loop
 * (a string copy, a byte-wise initialisation). */
static bool rc_widen_last_cell(rc_thread *t, uintptr_t addr, uint32_t size,
                               bool write, const rc_site *site) {
  uintptr_t granule = addr & ~(uintptr_t)(RC_GRANULE - 1);
  uint32_t offset = (uint32_t)(addr - granule);
  if (t->last_cell.granule != granule || offset + size > RC_GRANULE ||
      t->last_cell.site != site || t->last_cell.size != size ||
      t->last_cell.stack != t->current_stack ||
      t->last_cell.lockset != t->lockset ||
      t->last_cell.flags != (write ? RC_CELL_WRITE : 0) ||
      t->last_cell.epoch != rc_vc_get(&t->vc, t->tid))
    return false;
  rc_shadow_cell *cells = rc_shadow_lookup(granule);
  if (!cells)
    return false;
  uint8_t mask = (uint8_t)(((1u << size) - 1) << offset);
  int index = t->last_cell.index;
  rc_shadow_cell mine = cells[index];
  if (rc_cell_mask(mine) == 0 || rc_cell_tid(mine) != t->tid ||
      rc_cell_clock(mine) != t->last_cell.epoch ||
      rc_cell_flags(mine) != t->last_cell.flags)
    return false;
  for (int i = 0; i < RC_SHADOW_CELLS; i++)
    if (i != index && (rc_cell_mask(cells[i]) & mask))
      return false;
  cells[index] = mine | (uint64_t)mask << RC_CELL_MASK_SHIFT;
  return true;
}

/* A partial access meeting the coarse line (super-block or block) that
 * holds its granule's history: true when the line settles it (a free's check
 * runs on the line itself; an access the line already shows in this epoch
 * needs nothing), false when the caller must split the line. */
static bool rc_coarse_line_settles(const rc_shadow_probe *p,
                                   rc_shadow_cell *line,
                                   uintptr_t granule_addr, uint8_t mask) {
  if (p->check_only) {
    rc_shadow_granule(p, line, granule_addr, mask);
    return true;
  }
  return rc_shadow_same_epoch(line, p->t->tid, p->epoch, mask, p->write,
                              p->atomic);
}

/* One granule of an access that covers its block only in part: a coarse
 * super-block, then a coarse block, is split first (the granules go separate
 * ways from here) unless it settles the access. */
static void rc_shadow_granule_in_block(const rc_shadow_probe *p,
                                       rc_shadow_cell *cells,
                                       uintptr_t granule_addr, uint8_t mask) {
  rc_shadow_cell *super = rc_super_line(granule_addr);
  if (RC_UNLIKELY(rc_line_members(super) & rc_block_bit(granule_addr))) {
    if (rc_coarse_line_settles(p, super, granule_addr, mask))
      return;
    rc_super_split(super, granule_addr & ~(uintptr_t)(RC_SUPER - 1));
  }
  rc_shadow_cell *block = rc_block_cells(granule_addr);
  if (RC_UNLIKELY(rc_line_members(block) & rc_granule_bit(granule_addr))) {
    if (rc_coarse_line_settles(p, block, granule_addr, mask))
      return;
    rc_block_split(block, granule_addr & ~(uintptr_t)(RC_BLOCK - 1));
  }
  if (p->check_only || !rc_shadow_same_epoch(cells, p->t->tid, p->epoch, mask,
                                             p->write, p->atomic))
    rc_shadow_granule(p, cells, granule_addr, mask);
}

/* The steady state of a check through a non-empty line (block or super),
 * inline and branch-light: its cells already show this access in this
 * epoch, or they are all this thread's from earlier epochs and one is
 * superseded or empty (rc_cells_own_update's case). `fresh` is the cell to
 * store; a plain access only. False, having changed nothing, in any other
 * case: the general path decides. No widening cell is remembered: a line
 * check never changes the granule cells the widening shortcut looks at. */
static inline __attribute__((always_inline)) bool
rc_line_steady(rc_shadow_cell *line, rc_shadow_cell fresh, bool write,
               rc_shadow_context context) {
  if (rc_shadow_same_epoch_as(line, fresh, 0xFF, write, false))
    return true; /* same epoch, as strong: nothing to do */
  return rc_cells_own_store(line, (rc_shadow_context *)(line + RC_SHADOW_CELLS),
                            0, fresh, 0xFF, write, context) >= 0;
}

/* rc_line_steady for a whole-block access, when the block is coarse. */
static inline __attribute__((always_inline)) bool
rc_block_steady(rc_shadow_cell *block, rc_shadow_cell fresh, bool write,
                rc_shadow_context context) {
  return rc_block_is_coarse(block) &&
         rc_line_steady(block, fresh, write, context);
}

/* rc_line_steady for a whole-super access, when the super line stands for
 * all 8 blocks. */
static inline __attribute__((always_inline)) bool
rc_super_steady(rc_shadow_cell *super, rc_shadow_cell fresh, bool write,
                rc_shadow_context context) {
  return rc_line_members(super) == 0xFF &&
         rc_line_steady(super, fresh, write, context);
}

/* An access covering every member of a block or super line (non-empty),
 * checked once through the line. `member_addr` is the first member's
 * address: a report describes it, and the widening shortcut, remembering
 * it, finds its empty granule cells and declines. */
static void rc_line_check(const rc_shadow_probe *p, rc_shadow_cell *line,
                          uintptr_t member_addr) {
  if (!p->check_only && !p->atomic &&
      rc_line_steady(line, rc_cell_make(p->epoch, p->t->tid, 0xFF, p->flags),
                     p->write, p->context))
    return;
  if (p->check_only ||
      !rc_shadow_same_epoch(line, p->t->tid, p->epoch, 0xFF, p->write,
                            p->atomic))
    rc_shadow_granule(p, line, member_addr, 0xFF);
}

/* An access covering the whole block at `block_addr` (granule cells
 * `granules`). A block line, coarse or with other members, is checked once
 * for its members (when the first comes, so that reports name the same
 * bytes as granule by granule); other granules each on their own, after
 * which alike ones join the line. A block with no history yet becomes
 * coarse at once. */
static void rc_shadow_whole_block(const rc_shadow_probe *p,
                                  rc_shadow_cell *block,
                                  rc_shadow_cell *granules,
                                  uintptr_t block_addr) {
  uint8_t members = rc_line_members(block);
  if (!members) {
    /* Only a block with an empty line can be a member of its super-block,
     * whose line then holds this block's history. */
    rc_super_split_member(block_addr);
    members = rc_line_members(block);
  }
  if (!members && RC_LIKELY(rc_shadow_blocks_enabled) &&
      rc_cells_empty(granules, RC_BLOCK_GRANULES * RC_SHADOW_CELLS)) {
    if (!p->check_only) {
      rc_shadow_granule(p, block, block_addr, 0xFF);
      *rc_line_members_slot(block) = 0xFF;
    }
    return; /* nothing to check against */
  }
  bool stored = false, line_checked = false;
  for (int g = 0; g < RC_BLOCK_GRANULES; g++) {
    uintptr_t granule_addr = block_addr + (uintptr_t)g * RC_GRANULE;
    if (members >> g & 1) {
      if (!line_checked)
        rc_line_check(p, block, granule_addr);
      line_checked = true;
      continue;
    }
    rc_shadow_cell *cells = granules + g * RC_SHADOW_CELLS;
    if (p->check_only || !rc_shadow_same_epoch(cells, p->t->tid, p->epoch,
                                               0xFF, p->write, p->atomic)) {
      rc_shadow_granule(p, cells, granule_addr, 0xFF);
      stored = true;
    }
  }
  if (stored && !p->check_only && RC_LIKELY(rc_shadow_blocks_enabled))
    rc_block_absorb(block, granules, block_addr, 0xFF);
}

/* An access covering the whole super-block at `super_addr`, whose first
 * block line and granule cells are `block` and `granules`: its members are
 * checked once through the super line (when they come, so that reports
 * name the same bytes as granule by granule), the other blocks each on
 * their own; then alike blocks join the super line. */
static void rc_shadow_whole_super(const rc_shadow_probe *p,
                                  rc_shadow_cell *super, rc_shadow_cell *block,
                                  rc_shadow_cell *granules,
                                  uintptr_t super_addr, bool steady,
                                  rc_shadow_cell fresh) {
  uint8_t members = rc_line_members(super);
  bool line_checked = false;
  for (int b = 0; b < RC_SUPER_BLOCKS; b++) {
    uintptr_t block_addr = super_addr + (uintptr_t)b * RC_BLOCK;
    if (members >> b & 1) {
      if (!line_checked)
        rc_line_check(p, super, block_addr);
      line_checked = true;
      continue;
    }
    rc_shadow_cell *line = rc_line_of_block(block, b);
    if (!(steady && rc_block_steady(line, fresh, p->write, p->context)))
      rc_shadow_whole_block(p, line,
                            granules + b * RC_BLOCK_GRANULES * RC_SHADOW_CELLS,
                            block_addr);
  }
  if (!p->check_only)
    rc_super_absorb(super, super_addr, 0xFF);
}

/* Checks [addr, addr + size): whole super-blocks and blocks at once, the
 * rest granule by granule; p->size is what reports and contexts say the
 * access's size was. */
static void rc_shadow_granules(const rc_shadow_probe *p, uintptr_t addr,
                               uint64_t size) {
  uint64_t remaining = size;
  while (remaining) {
    uint32_t offset = (uint32_t)(addr & (RC_GRANULE - 1));
    rc_shadow_cell *cells = rc_shadow_cells_create(addr);
    if (RC_UNLIKELY(!cells))
      return;
    bool steady = !p->check_only && !p->atomic;
    rc_shadow_cell fresh = rc_cell_make(p->epoch, p->t->tid, 0xFF, p->flags);
    if ((addr & (RC_SUPER - 1)) == 0 && remaining >= RC_SUPER &&
        RC_LIKELY(rc_shadow_blocks_enabled)) {
      /* Whole super-blocks up to the end of this shadow chunk. */
      uint64_t to_chunk_end = RC_CHUNK_BYTES - (addr & (RC_CHUNK_BYTES - 1));
      uint64_t whole = remaining & ~(uint64_t)(RC_SUPER - 1);
      uint64_t n = whole < to_chunk_end ? whole : to_chunk_end;
      rc_shadow_cell *super = rc_super_line(addr);
      rc_shadow_cell *block = rc_block_cells(addr);
      for (uint64_t done = 0; done < n; done += RC_SUPER) {
        __builtin_prefetch((char *)super + 2 * RC_BLOCK_LINE, 1);
        if (!(steady && rc_super_steady(super, fresh, p->write, p->context)))
          rc_shadow_whole_super(p, super, block, cells, addr + done, steady,
                                fresh);
        super += RC_BLOCK_LINE / sizeof *super;
        block += RC_SUPER_BLOCKS * RC_BLOCK_LINE / sizeof *block;
        cells += (RC_SUPER / RC_GRANULE) * RC_SHADOW_CELLS;
      }
      addr += n;
      remaining -= n;
      continue;
    }
    if ((addr & (RC_BLOCK - 1)) == 0 && remaining >= RC_BLOCK) {
      /* Whole blocks up to the end of this shadow chunk: their granule and
       * block cells are consecutive. */
      uint64_t to_chunk_end = RC_CHUNK_BYTES - (addr & (RC_CHUNK_BYTES - 1));
      uint64_t whole = remaining & ~(uint64_t)(RC_BLOCK - 1);
      uint64_t n = whole < to_chunk_end ? whole : to_chunk_end;
      /* Stop at the next super-block boundary, so that whole super-blocks
       * after it are checked as such. */
      uintptr_t super_end = (addr | (RC_SUPER - 1)) + 1;
      if (n > super_end - addr)
        n = super_end - addr;
      /* The super line first: when these blocks cover all its members, it
       * checks them once (`settled`); when they cover some but not all, it
       * splits. A member the access covers only in part (the partial block
       * before or after these) goes through rc_shadow_granule_in_block. */
      uintptr_t super_addr = addr & ~(uintptr_t)(RC_SUPER - 1);
      rc_shadow_cell *super = rc_super_line(addr);
      uint8_t covered = (uint8_t)(((1u << (n >> RC_BLOCK_SHIFT)) - 1)
                                << ((addr >> RC_BLOCK_SHIFT) &
                                    (RC_SUPER_BLOCKS - 1)));
      uint8_t members = rc_line_members(super);
      uint8_t settled = 0;
      bool line_checked = false;
      if (RC_UNLIKELY(members)) {
        if ((covered & members) == members)
          settled = members;
        else if (covered & members)
          rc_super_split(super, super_addr);
      }
      rc_shadow_cell *block = rc_block_cells(addr);
      for (uint64_t done = 0; done < n; done += RC_BLOCK) {
        /* Block lines of a new epoch's sweep come from far caches: ask for
         * the ones a few blocks on while this one is checked. */
        __builtin_prefetch((char *)block + 4 * RC_BLOCK_LINE, 1);
        if (RC_UNLIKELY(settled & rc_block_bit(addr + done))) {
          if (!line_checked) /* at the first member; the rest need nothing */
            rc_line_check(p, super, addr + done);
          line_checked = true;
        } else if (!(steady &&
                     rc_block_steady(block, fresh, p->write, p->context)))
          rc_shadow_whole_block(p, block, cells, addr + done);
        block += RC_BLOCK_LINE / sizeof *block;
        cells += RC_BLOCK_GRANULES * RC_SHADOW_CELLS;
      }
      uint8_t outside = (uint8_t)(covered & ~rc_line_members(super));
      if (outside && !p->check_only && RC_LIKELY(rc_shadow_blocks_enabled))
        rc_super_absorb(super, super_addr, covered);
      addr += n;
      remaining -= n;
      continue;
    }
    /* The granules up to the next block boundary, in a block the access
     * covers only in part (the ends of a span, a single access), with the
     * same-epoch test and the own-data update inline. The block line first:
     * when the access touches its members, it checks them once if it covers
     * them all (or already shows this access in this epoch), else it splits.
     * The super line before it: a member block's line is empty, and a
     * single access to coarse data (the common slow path) then never loads
     * it. */
    uintptr_t block_end = (addr | (RC_BLOCK - 1)) + 1;
    uintptr_t block_addr = block_end - RC_BLOCK;
    uintptr_t stop = remaining < block_end - addr ? addr + remaining : block_end;
    rc_shadow_cell *block_granules =
        cells - ((addr - block_addr) >> RC_GRANULE_SHIFT) * RC_SHADOW_CELLS;
    rc_shadow_cell *block = rc_block_cells(addr);
    rc_shadow_cell *super = rc_super_line(addr);
    bool super_fine = !(rc_line_members(super) & rc_block_bit(addr));
    /* A line that already shows this access in this epoch settles all the
     * granules it stands for (the common slow path of a single access to
     * data a box checked this epoch): skip them without a look at their
     * empty granule cells. */
    if (!super_fine && !p->check_only &&
        rc_shadow_same_epoch(super, p->t->tid, p->epoch, 0xFF, p->write,
                             p->atomic)) {
      remaining -= stop - addr;
      addr = stop;
      continue;
    }
    uint8_t members = super_fine ? rc_line_members(block) : 0;
    uint8_t covered = rc_granules_within(block_addr, addr, stop, true);
    uint8_t settled = 0;
    bool line_checked = false;
    if (RC_UNLIKELY(members)) {
      uint8_t touched = rc_granules_within(block_addr, addr, stop, false);
      if (!(members & touched)) {
        /* the line says nothing about these granules */
      } else if ((covered & members) == members) {
        settled = members;
      } else if (!p->check_only &&
                 rc_shadow_same_epoch(block, p->t->tid, p->epoch, 0xFF,
                                      p->write, p->atomic)) {
        if (!(touched & ~members)) {
          remaining -= stop - addr;
          addr = stop;
          continue;
        }
        settled = members;
        line_checked = true; /* nothing to do for them */
      } else {
        rc_block_split(block, block_addr);
      }
    }
    uint8_t changed = 0; /* granules stored on their own */
    rc_shadow_context *contexts = 0; /* of `cells`, once needed */
    while (remaining && addr < block_end) {
      uint32_t n = RC_GRANULE - offset;
      if (n > remaining)
        n = (uint32_t)remaining;
      uint8_t mask = (uint8_t)(((1u << n) - 1) << offset);
      uintptr_t granule_addr = addr - offset;
      if (RC_UNLIKELY(settled & rc_granule_bit(granule_addr))) {
        if (!line_checked)
          rc_line_check(p, block, granule_addr);
        line_checked = true;
      } else if (p->check_only ||
                 !rc_shadow_same_epoch(cells, p->t->tid, p->epoch, mask,
                                       p->write, p->atomic)) {
        if (!super_fine && !(rc_line_members(rc_super_line(granule_addr)) &
                             rc_block_bit(granule_addr)))
          super_fine = true; /* split by an earlier granule's check */
        if (!super_fine ||
            (rc_line_members(block) & rc_granule_bit(granule_addr))) {
          rc_shadow_granule_in_block(p, cells, granule_addr, mask);
        } else {
          changed |= rc_granule_bit(granule_addr);
          if (!contexts)
            contexts = rc_shadow_contexts(cells, granule_addr);
          int store = -1;
          if (steady)
            store = rc_cells_own_store(
                cells, contexts, granule_addr,
                rc_cell_make(p->epoch, p->t->tid, mask, p->flags), mask,
                p->write, p->context);
          if (store >= 0)
            rc_remember_cell(p, granule_addr, store);
          else
            rc_shadow_granule(p, cells, granule_addr, mask);
        }
      }
      addr += n;
      remaining -= n;
      offset = 0;
      cells += RC_SHADOW_CELLS;
      if (contexts)
        contexts += RC_SHADOW_CELLS;
    }
    /* Only a granule this access changed may have become alike: a futile
     * try costs a look at the cold contexts. */
    if ((covered & changed) && !p->check_only &&
        RC_LIKELY(rc_shadow_blocks_enabled) &&
        (rc_line_members(block) || (covered & (covered - 1))))
      rc_block_absorb(block, block_granules, block_addr, covered);
  }
}

static rc_shadow_probe rc_shadow_probe_for(rc_thread *t, uint32_t size,
                                           bool write, bool atomic,
                                           const rc_site *site) {
  RC_CHECK(t->tid <= UINT16_MAX);
  return (rc_shadow_probe){
      .t = t,
      .epoch = rc_vc_get(&t->vc, t->tid),
      .size = size,
      .write = write,
      .atomic = atomic,
      .flags = (uint8_t)((write ? RC_CELL_WRITE : 0) |
                         (atomic ? RC_CELL_ATOMIC : 0)),
      .site = site,
      .context = rc_context_id(site, size, t->current_stack, t->lockset),
  };
}

void rc_shadow_access(rc_thread *t, uintptr_t addr, uint32_t size, bool write,
                      bool atomic, const rc_site *site) {
  /* Race-directed phase 2 only (strategy_race_directed.c): a plain access
   * at a target site may become a scheduling point. */
  if (RC_UNLIKELY(rc_race_points_active) && !atomic)
    rc_race_access_point(t, (const void *)addr, site);
  if (!atomic && rc_widen_last_cell(t, addr, size, write, site))
    return;
  rc_shadow_probe p = rc_shadow_probe_for(t, size, write, atomic, site);
  rc_shadow_granules(&p, addr, size);
}

void rc_shadow_access_span(rc_thread *t, uintptr_t addr, uint64_t size,
                           uint32_t access_size, bool write,
                           const rc_site *site) {
  rc_shadow_probe p = rc_shadow_probe_for(t, access_size, write, false, site);
  p.span = true;
  rc_shadow_granules(&p, addr, size);
}

void rc_shadow_check_free(rc_thread *t, uintptr_t addr, uint64_t size,
                          const rc_site *site) {
  rc_shadow_probe p = rc_shadow_probe_for(t, (uint32_t)(size < UINT32_MAX ? size : UINT32_MAX),
                                          true, false, site);
  p.check_only = true;
  rc_shadow_granules(&p, addr, size);
}

/* One block's share of a strided row: bit k of `bytes` stands for byte k of
 * the block at `block_addr`. A coarse block is split only when its cells do
 * not already show this access in this epoch. */
static void rc_shadow_block_bytes(const rc_shadow_probe *p,
                                  uintptr_t block_addr, uint64_t bytes) {
  rc_shadow_cell *granules = rc_shadow_cells_create(block_addr);
  if (RC_UNLIKELY(!granules))
    return;
  rc_shadow_cell *block = rc_block_cells(block_addr);
  if (bytes == UINT64_MAX) {
    rc_shadow_whole_block(p, block, granules, block_addr);
    return;
  }
  /* The super and block lines first: a strided row over coarse data (every
   * other vector of an array) then never reads the granule cells, a page of
   * which covers only 128 application bytes. */
  uint64_t folded = bytes | bytes >> 32; /* every granule's bytes at once */
  folded |= folded >> 16;
  folded |= folded >> 8;
  rc_shadow_cell *super = rc_super_line(block_addr);
  if (RC_UNLIKELY(rc_line_members(super) & rc_block_bit(block_addr))) {
    if (rc_shadow_same_epoch(super, p->t->tid, p->epoch, (uint8_t)folded,
                             p->write, p->atomic))
      return;
    rc_super_split(super, block_addr & ~(uintptr_t)(RC_SUPER - 1));
  }
  /* The block line settles its members the access touches if it shows
   * this access in this epoch; otherwise it splits. */
  uint8_t touched = 0;
  for (int g = 0; g < RC_BLOCK_GRANULES; g++)
    if ((uint8_t)(bytes >> (8 * g)))
      touched |= (uint8_t)(1u << g);
  uint8_t members = rc_line_members(block);
  uint8_t settled = 0;
  if (members & touched) {
    if (!p->check_only &&
        rc_shadow_same_epoch(block, p->t->tid, p->epoch, (uint8_t)folded,
                             p->write, p->atomic))
      settled = members;
    else
      rc_block_split(block, block_addr);
  }
  for (int g = 0; g < RC_BLOCK_GRANULES; g++) {
    uint8_t mask = (uint8_t)(bytes >> (8 * g));
    rc_shadow_cell *cells = granules + g * RC_SHADOW_CELLS;
    if (mask && !(settled >> g & 1) &&
        !rc_shadow_same_epoch(cells, p->t->tid, p->epoch, mask, p->write,
                              p->atomic))
      rc_shadow_granule(p, cells, block_addr + (uintptr_t)g * RC_GRANULE,
                        mask);
  }
}

void rc_shadow_access_strided(rc_thread *t, uintptr_t addr,
                              unsigned long count, uint64_t stride,
                              uint32_t access_size, bool write,
                              const rc_site *site) {
  rc_shadow_probe p = rc_shadow_probe_for(t, access_size, write, false, site);
  p.span = true;
  /* Elements go upwards, so each block's bytes are gathered before the
   * walk leaves it. */
  uintptr_t block = 0;
  uint64_t bytes = 0;
  /* The super-block the walk is in, and those of its member blocks whose
   * super line already shows this access in this epoch: an element inside
   * one of them needs nothing (rc_shadow_block_bytes would stop at the same
   * test), which spares a row over coarse data a call per block. */
  uintptr_t walk_super = 1; /* no super-block yet */
  uint8_t settled = 0;
  for (unsigned long i = 0; i < count; i++, addr += stride) {
    uintptr_t super_addr = addr & ~(uintptr_t)(RC_SUPER - 1);
    if (super_addr != walk_super && RC_LIKELY(rc_shadow_blocks_enabled)) {
      walk_super = super_addr;
      settled = 0;
      if (rc_shadow_lookup(addr)) {
        rc_shadow_cell *super = rc_super_line(addr);
        if (rc_line_members(super) &&
            rc_shadow_same_epoch(super, t->tid, p.epoch, 0xFF, write, false))
          settled = rc_line_members(super);
      }
    }
    if ((settled & rc_block_bit(addr)) &&
        ((addr ^ (addr + access_size - 1)) & ~(uintptr_t)(RC_BLOCK - 1)) == 0)
      continue; /* inside one settled member block */
    uintptr_t a = addr;
    uint64_t left = access_size;
    while (left) {
      uintptr_t b = a & ~(uintptr_t)(RC_BLOCK - 1);
      uint32_t offset = (uint32_t)(a - b);
      uint64_t n = RC_BLOCK - offset;
      if (n > left)
        n = left;
      if (bytes && b != block) {
        rc_shadow_block_bytes(&p, block, bytes);
        bytes = 0;
      }
      block = b;
      bytes |= (n == RC_BLOCK ? UINT64_MAX : ((UINT64_C(1) << n) - 1))
               << offset;
      a += n;
      left -= n;
    }
  }
  if (bytes)
    rc_shadow_block_bytes(&p, block, bytes);
}

/* ---- clearing ----
 * Only the hot cells are cleared: a context is read only behind a non-empty
 * cell and is rewritten whenever a cell is stored. Large clears still give
 * the contexts' whole pages back, so freed memory does not keep them
 * resident. */

static void rc_shadow_clear_partial(rc_shadow_cell *cells, uint8_t mask) {
  uint64_t keep = ~((uint64_t)mask << RC_CELL_MASK_SHIFT);
  for (int i = 0; i < RC_SHADOW_CELLS; i++) {
    cells[i] &= keep;
    if (rc_cell_mask(cells[i]) == 0)
      cells[i] = 0; /* empty cells are all zero */
  }
}

/* Drops the whole pages inside [b, e); returns the page-aligned bounds. */
static void rc_shadow_drop_pages(uintptr_t b, uintptr_t e, uintptr_t *pb,
                                 uintptr_t *pe) {
  *pb = (b + RC_SHADOW_PAGE - 1) & ~(uintptr_t)(RC_SHADOW_PAGE - 1);
  *pe = e & ~(uintptr_t)(RC_SHADOW_PAGE - 1);
  /* Private anonymous pages read back as zero after MADV_DONTNEED. */
  if (*pe > *pb)
    rc_raw_syscall(SYS_madvise, (long)*pb, (long)(*pe - *pb), MADV_DONTNEED,
                   0, 0, 0);
}

/* Empties the hot cells [cells, cells + n) (whole granules). */
/* Zeroes [p, p + bytes) of shadow: by memset when small, else by dropping
 * its whole pages. Returns false when it was small. */
static bool rc_shadow_zero_bytes(void *p, size_t bytes) {
  if (bytes < RC_SHADOW_MADVISE_MIN) {
    memset(p, 0, bytes);
    return false;
  }
  uintptr_t b = (uintptr_t)p, e = b + bytes, pb, pe;
  rc_shadow_drop_pages(b, e, &pb, &pe);
  memset((void *)b, 0, pb - b);
  memset((void *)pe, 0, e - pe);
  return true;
}

/* Empties the granule cells [cells, cells + n) of the chunk holding addr. */
static void rc_shadow_zero(rc_shadow_cell *cells, uintptr_t addr, size_t n) {
  if (!rc_shadow_zero_bytes(cells, n * sizeof *cells))
    return;
  rc_shadow_context *contexts = rc_shadow_contexts(cells, addr);
  uintptr_t pb, pe;
  rc_shadow_drop_pages((uintptr_t)contexts, (uintptr_t)(contexts + n), &pb,
                       &pe);
}

/* Empties the block lines of the blocks wholly inside [addr, stop), which
 * lie in one chunk. */
static void rc_shadow_zero_blocks(uintptr_t addr, uintptr_t stop) {
  uintptr_t first = (addr + RC_BLOCK - 1) & ~(uintptr_t)(RC_BLOCK - 1);
  uintptr_t last = stop & ~(uintptr_t)(RC_BLOCK - 1);
  if (last > first)
    rc_shadow_zero_bytes(rc_block_cells(first),
                         ((last - first) >> RC_BLOCK_SHIFT) * RC_BLOCK_LINE);
  first = (addr + RC_SUPER - 1) & ~(uintptr_t)(RC_SUPER - 1);
  last = stop & ~(uintptr_t)(RC_SUPER - 1);
  if (last > first)
    rc_shadow_zero_bytes(rc_super_line(first),
                         ((last - first) >> RC_SUPER_SHIFT) * RC_BLOCK_LINE);
}

void rc_shadow_clear(uintptr_t addr, size_t size) {
  uintptr_t end = addr + size;
  if (end < addr)
    end = UINTPTR_MAX; /* wrapped: clear to the top */
  if (end <= addr)
    return;
  /* A coarse super-block or block the range covers only in part keeps the
   * rest of its history in its blocks and granules. */
  if (addr & (RC_SUPER - 1))
    rc_lines_split_at(addr);
  if (end & (RC_SUPER - 1))
    rc_lines_split_at(end - 1);
  /* partial first granule */
  if (addr & (RC_GRANULE - 1)) {
    uintptr_t granule_end = (addr | (RC_GRANULE - 1)) + 1;
    uintptr_t stop = end < granule_end ? end : granule_end;
    uint8_t mask = (uint8_t)(((1u << (stop - addr)) - 1)
                             << (addr & (RC_GRANULE - 1)));
    rc_shadow_cell *cells = rc_shadow_lookup(addr);
    if (cells)
      rc_shadow_clear_partial(cells, mask);
    addr = stop;
  }
  /* whole granules, one chunk at a time */
  while (end - addr >= RC_GRANULE) {
    uintptr_t chunk_end = (addr | (RC_CHUNK_BYTES - 1)) + 1;
    uintptr_t stop = chunk_end < end ? chunk_end : end;
    stop &= ~(uintptr_t)(RC_GRANULE - 1);
    rc_shadow_cell *cells = rc_shadow_lookup(addr);
    if (cells) {
      rc_shadow_zero(cells, addr,
                     ((stop - addr) >> RC_GRANULE_SHIFT) * RC_SHADOW_CELLS);
      rc_shadow_zero_blocks(addr, stop);
    } else if ((addr >> RC_CHUNK_SHIFT) >= RC_DIRECTORY_ENTRIES)
      return;
    addr = stop;
  }
  /* partial last granule */
  if (addr < end) {
    uint8_t mask = (uint8_t)((1u << (end - addr)) - 1);
    rc_shadow_cell *cells = rc_shadow_lookup(addr);
    if (cells)
      rc_shadow_clear_partial(cells, mask);
  }
}
