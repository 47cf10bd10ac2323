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
 * This file keeps the cells' report contexts, the check of one granule, the
 * reports and the entry points; whole blocks and super-blocks, with the
 * range walk and strided box rows, are in shadow_blocks.c, clearing in
 * shadow_clear.c.
 *
 * Only the thread holding the run token gets here, so no locks are needed. */
#include "core/reservations.h"
#include "detect/benign_races.h"
#include "detect/shadow_cells.h"
#include "record/schedule.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

rc_shadow_cell **rc_shadow_directory;
/* Round-robin victim choice when all cells of a granule are busy: depends only
 * on the (deterministic) sequence of accesses, never on rand(). */
static uint32_t g_shadow_evictions;
/* Unordered site pairs already reported (hash → rc_site_pair chain). */
static rc_map g_reported_pairs;

typedef struct rc_site_pair {
  const rc_site *a, *b;
} rc_site_pair;

void *rc_shadow_mmap(size_t size) {
  long r = rc_raw_syscall(SYS_mmap, 0, (long)size, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (r < 0 && r > -4096)
    rc_fatal("cannot reserve %zu bytes of shadow memory (errno %ld)", size, -r);
  /* Shadow is touched sparsely: with transparent huge pages set to
   * "always", one touch would commit 2 MiB of it (TSan keeps huge pages off
   * its shadow too). */
  rc_raw_syscall(SYS_madvise, r, (long)size, MADV_NOHUGEPAGE, 0, 0, 0);
  rc_reservations_add((long)size);
  return (void *)r;
}

/* ---- report contexts ----
 * A cell's cold half names what a report says about its access (site, size,
 * stack, lock set) by the id of that tuple in a table: one 4-byte id per
 * cell instead of the 16-byte tuple keeps the shadow at 48 bytes per
 * granule, so array sweeps move a third less shadow through the caches.
 * Ids are handed out in the order contexts are first stored, which the
 * serialized run makes deterministic. A small two-way cache in front of the
 * map keeps the store path cheap: direct-mapped, two hot contexts whose
 * sites happened to share a line (a box's read and write rows, say) missed
 * on every row, and whether they did changed with the program's layout. */
typedef struct rc_access_context {
  const rc_site *site;
  uint32_t size; /* bytes of the whole access */
  rc_stack_id stack;
  rc_lockset_id lockset;
} rc_access_context;

enum { RC_CONTEXT_CACHE = 1024 };     /* entries: 512 sets of two ways */
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
                (RC_CONTEXT_CACHE - 2); /* the set's first way */
  if (RC_LIKELY(g_context_cache[line].id &&
                rc_access_context_equal(&g_context_cache[line].key, &key)))
    return g_context_cache[line].id;
  if (g_context_cache[line + 1].id &&
      rc_access_context_equal(&g_context_cache[line + 1].key, &key))
    return g_context_cache[line + 1].id;
  uint64_t probe =
      rc_hash64((uintptr_t)site ^
                rc_hash64(((uint64_t)stack << 32 | lockset) ^ rc_hash64(size)));
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
  /* The newest in the first way, the one it displaces in the second. */
  g_context_cache[line + 1] = g_context_cache[line];
  g_context_cache[line].key = key;
  g_context_cache[line].id = id;
  return id;
}

static const rc_access_context *rc_context_by_id(rc_shadow_context id) {
  RC_CHECK(id && id <= g_context_count);
  return &g_contexts[id];
}

/* ---- reports ---- */

/* Two sites name the same position when they show the same file, line and
 * column at every level of the calls they are inlined into: the same header
 * code compiled into two modules, or a library loaded again after dlclose,
 * has one descriptor per copy. A pair of positions is reported once,
 * whichever descriptors met. Sites without a line are only equal to
 * themselves. */
static bool rc_same_position(const rc_site *a, const rc_site *b) {
  for (unsigned depth = 0; depth < 64; depth++) {
    if (a == b)
      return true;
    if (!a || !b || a->line != b->line || a->column != b->column ||
        a->line == 0)
      return false;
    if (a->file != b->file &&
        (!a->file || !b->file || strcmp(a->file, b->file) != 0))
      return false;
    a = a->inlined_at;
    b = b->inlined_at;
  }
  return false;
}

static uint64_t rc_position_hash(const rc_site *s) {
  if (!s || s->line == 0)
    return rc_hash64((uintptr_t)s);
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned depth = 0; s && depth < 64; s = s->inlined_at, depth++) {
    for (const char *c = s->file; c && *c; c++)
      h = (h ^ (uint8_t)*c) * 0x100000001b3ULL;
    h = rc_hash64(h ^ s->line ^ (uint64_t)s->column << 32);
  }
  return h;
}

static bool rc_site_pair_equal(const rc_site_pair *p, const rc_site *a,
                               const rc_site *b) {
  return (rc_same_position(p->a, a) && rc_same_position(p->b, b)) ||
         (rc_same_position(p->a, b) && rc_same_position(p->b, a));
}

/* True the first time the unordered pair of positions {x, y} is seen. */
static bool rc_first_report_of_pair(const rc_site *x, const rc_site *y) {
  uint64_t hx = rc_position_hash(x), hy = rc_position_hash(y);
  uint64_t lo = hx <= hy ? hx : hy, hi = hx <= hy ? hy : hx;
  uint64_t key = rc_hash64(lo ^ rc_hash64(hi + 1));
  for (;;) {
    if (!key)
      key = 1;
    void **slot = rc_map_insert(&g_reported_pairs, key);
    if (!*slot) {
      rc_site_pair *pair = rc_alloc(sizeof *pair);
      pair->a = x;
      pair->b = y;
      *slot = pair;
      return true;
    }
    if (rc_site_pair_equal(*slot, x, y))
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
  /* The first byte both accesses touch. */
  uintptr_t conflict =
      granule_addr + (uintptr_t)__builtin_ctz(rc_cell_mask(previous) & mask);
  if (rc_benign_race_covers(conflict))
    return; /* declared racy by design (racecheck_benign_race) */
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
  f->accesses[1] = (rc_access){.tid = rc_cell_tid(previous),
                               .write = (previous_flags & RC_CELL_WRITE) != 0,
                               .atomic = (previous_flags & RC_CELL_ATOMIC) != 0,
                               .size = context->size,
                               .site = previous_site,
                               .stack = context->stack,
                               .lockset = context->lockset};
  /* Describe it now, while the memory (and its heap block) is still alive. */
  rc_describe_address(conflict, &f->variable);
  rc_add_finding(f);
}

/* ---- the check ---- */

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

/* rc_shadow_granule past its own-data shortcut: every cell against the
 * access, by the thread's vector clock. */
static void rc_shadow_granule_cells(const rc_shadow_probe *p,
                                    rc_shadow_cell *cells,
                                    uintptr_t granule_addr, uint8_t mask) {
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
      superseded =
          covered && (p->write || !c_write) && (!p->atomic || c_atomic);
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

/* The slow path of one granule. Callers have already found no cell of this
 * thread and epoch covering the access (the same-epoch test), except for a
 * free's check-only pass, to which such a cell makes no difference. */
void rc_shadow_granule(const rc_shadow_probe *p, rc_shadow_cell *cells,
                       uintptr_t granule_addr, uint8_t mask) {
  if (!rc_cells_own_update(p, cells, granule_addr, mask))
    rc_shadow_granule_cells(p, cells, granule_addr, mask);
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

/* rc_context_id through the thread's memo (t->context_memo): a slow-path
 * access mostly comes from one of the few sites the thread runs again and
 * again (a loop body after each lock), with the same stack and lock set.
 * The key is complete: an id stands for its (site, size, stack, lock set)
 * alone, all four are compared, and ids are never withdrawn. */
static inline __attribute__((always_inline)) rc_shadow_context
rc_thread_context_id(rc_thread *t, const rc_site *site, uint32_t size) {
  enum { MEMO = sizeof t->context_memo / sizeof t->context_memo[0] };
  uintptr_t s = (uintptr_t)site;
  __typeof__(t->context_memo[0]) *m =
      &t->context_memo[(s >> 4 ^ s >> 10 ^ size) & (MEMO - 1)];
  if (RC_LIKELY(m->site == site && m->size == size &&
                m->stack == t->current_stack && m->lockset == t->lockset &&
                m->id))
    return m->id;
  m->site = site;
  m->size = size;
  m->stack = t->current_stack;
  m->lockset = t->lockset;
  m->id = rc_context_id(site, size, t->current_stack, t->lockset);
  return m->id;
}

static inline __attribute__((always_inline)) rc_shadow_probe rc_probe_make(
    rc_thread *t, uint32_t size, bool write, bool atomic, const rc_site *site) {
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
      .context = rc_thread_context_id(t, site, size),
  };
}

rc_shadow_probe rc_shadow_probe_for(rc_thread *t, uint32_t size, bool write,
                                    bool atomic, const rc_site *site) {
  return rc_probe_make(t, size, write, atomic, site);
}

/* A single access inside one granule that has cells of its own, checked
 * without the range walk (rc_shadow_granules). Such a granule is no member
 * of its block line, nor its block of the super line (a member's own cells
 * are all empty, shadow.h), so neither line has a say; when the block line
 * has no members at all, nothing can be absorbed into it either, and the
 * walk would do exactly what this does: the same-epoch test, the own-data
 * store, else the granule check. False, having changed nothing, when
 * the access spans granules, the granule has no cells or the block line has
 * members: the walk decides. */
static inline __attribute__((always_inline)) bool
rc_shadow_granule_direct(const rc_shadow_probe *p, uintptr_t addr) {
  uint32_t offset = (uint32_t)(addr & (RC_GRANULE - 1));
  if (p->size > RC_GRANULE || offset + p->size > RC_GRANULE)
    return false;
  rc_shadow_cell *cells = rc_shadow_lookup(addr);
  if (!cells || rc_cells_empty(cells, RC_SHADOW_CELLS) ||
      rc_line_members(rc_block_cells(addr)))
    return false;
  uintptr_t granule_addr = addr - offset;
  uint8_t mask = (uint8_t)(((1u << p->size) - 1) << offset);
  rc_thread *t = p->t;
  rc_shadow_cell mine = rc_cell_make(p->epoch, t->tid, 0, 0);
  if (rc_shadow_same_epoch_as(cells, mine, mask, p->write, p->atomic))
    return true;
  if (!rc_cells_own_update(p, cells, granule_addr, mask))
    rc_shadow_granule_cells(p, cells, granule_addr, mask);
  return true;
}

void rc_shadow_access(rc_thread *t, uintptr_t addr, uint32_t size, bool write,
                      bool atomic, const rc_site *site) {
  if (RC_UNLIKELY(write ? t->ignore_writes : t->ignore_reads) && !atomic)
    return;
  /* Race-directed phase 2 only (strategy_race_directed.c): a plain access
   * at a target site may become a scheduling point. */
  if (RC_UNLIKELY(rc_race_points_active) && !atomic)
    rc_race_access_point(t, (const void *)addr, site);
  if (!atomic && rc_widen_last_cell(t, addr, size, write, site))
    return;
  rc_shadow_probe p = rc_probe_make(t, size, write, atomic, site);
  if (!rc_shadow_granule_direct(&p, addr))
    rc_shadow_granules(&p, addr, size);
}

/* Whether `cells` hold another thread's access to the bytes of `mask` that
 * conflicts with this one (one of the two writes). */
static bool rc_cells_foreign(const rc_shadow_cell *cells, rc_tid tid,
                             uint8_t mask, bool write) {
  for (int i = 0; i < RC_SHADOW_CELLS; i++) {
    rc_shadow_cell c = cells[i];
    if ((rc_cell_mask(c) & mask) && rc_cell_tid(c) != tid &&
        (write || (rc_cell_flags(c) & RC_CELL_WRITE)))
      return true;
  }
  return false;
}

bool rc_shadow_shared(const rc_thread *t, uintptr_t addr, uint32_t size,
                      bool write) {
  const rc_shadow_cell *cells = rc_shadow_lookup(addr);
  if (!cells)
    return false; /* never touched */
  uint32_t offset = (uint32_t)(addr & (RC_GRANULE - 1));
  if (offset + size > RC_GRANULE)
    size = RC_GRANULE - offset; /* the first granule decides */
  uint8_t mask = (uint8_t)(((1u << size) - 1) << offset);
  if (rc_cells_foreign(cells, t->tid, mask, write))
    return true;
  /* A granule kept in its block's or super-block's line (shadow.h) has
   * empty cells of its own; the line's cells cover whole granules. */
  rc_shadow_cell *block = rc_block_cells(addr);
  if (rc_line_members(block) & rc_granule_bit(addr))
    return rc_cells_foreign(block, t->tid, 0xFF, write);
  rc_shadow_cell *super = rc_super_line(addr);
  if (rc_line_members(super) & rc_block_bit(addr))
    return rc_cells_foreign(super, t->tid, 0xFF, write);
  return false;
}

void rc_shadow_access_span(rc_thread *t, uintptr_t addr, uint64_t size,
                           uint32_t access_size, bool write,
                           const rc_site *site) {
  if (RC_UNLIKELY(write ? t->ignore_writes : t->ignore_reads))
    return;
  rc_shadow_probe p = rc_shadow_probe_for(t, access_size, write, false, site);
  p.span = true;
  rc_shadow_granules(&p, addr, size);
}

void rc_shadow_check_free(rc_thread *t, uintptr_t addr, uint64_t size,
                          uint64_t block_size, const rc_site *site) {
  rc_shadow_probe p = rc_shadow_probe_for(
      t, (uint32_t)(block_size < UINT32_MAX ? block_size : UINT32_MAX), true,
      false, site);
  p.check_only = true;
  rc_shadow_granules(&p, addr, size);
}
