/* shadow_cells.h — what the files of the shadow check share (shadow.c:
 * cells, report contexts and the granule check; shadow_blocks.c: 64-byte
 * blocks and 512-byte super-blocks, the range walk and strided box rows;
 * shadow_clear.c: clearing). Private to them. The helpers the check runs
 * per granule or line are static inline here, so splitting the check over
 * files turned no inlined step into a call; the functions declared here
 * were calls already. */
#ifndef RACECHECK_SHADOW_CELLS_H
#define RACECHECK_SHADOW_CELLS_H

#include "detect/shadow.h"

#include <string.h>

/* One access as the granule loop sees it. */
typedef struct rc_shadow_probe {
  rc_thread *t;
  rc_clock epoch;
  uint32_t size;
  bool write, atomic;
  uint8_t flags;
  const rc_site *site;
  rc_shadow_context context; /* interned (site, size, stack, lock set) */
  bool
      check_only; /* report races, store nothing (the shadow is cleared next) */
  bool span;      /* part of a box check (rc_shadow_access_span/_mask) */
} rc_shadow_probe;

/* ---- shadow.c ---- */
/* Reserves `size` bytes of zeroed shadow (fatal when it cannot). */
void *rc_shadow_mmap(size_t size);
/* The probe of one access by `t` (its epoch, flags and interned context). */
rc_shadow_probe rc_shadow_probe_for(rc_thread *t, uint32_t size, bool write,
                                    bool atomic, const rc_site *site);
/* The slow path of one granule (or of a line standing for granules). */
void rc_shadow_granule(const rc_shadow_probe *p, rc_shadow_cell *cells,
                       uintptr_t granule_addr, uint8_t mask);

/* ---- shadow_blocks.c ---- */
/* Checks [addr, addr + size): whole super-blocks and blocks at once, the
 * rest granule by granule. */
void rc_shadow_granules(const rc_shadow_probe *p, uintptr_t addr,
                        uint64_t size);
/* Splits the super-block, then the block, holding `addr`. */
void rc_lines_split_at(uintptr_t addr);

/* ---- chunks, cells and lines ---- */

/* The hot cells of the granule holding `addr`, mapping its chunk if needed;
 * null when `addr` is outside the tracked address space. */
static inline rc_shadow_cell *rc_shadow_cells_create(uintptr_t addr) {
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
static inline rc_shadow_context *rc_shadow_contexts(const rc_shadow_cell *cells,
                                                    uintptr_t addr) {
  const rc_shadow_cell *chunk = rc_shadow_directory[addr >> RC_CHUNK_SHIFT];
  if ((size_t)(cells - chunk) >= RC_CHUNK_HOT_CELLS)
    return (rc_shadow_context *)(cells + RC_SHADOW_CELLS);
  rc_shadow_context *cold =
      (rc_shadow_context *)((char *)chunk + RC_CHUNK_HOT_BYTES);
  return cold + (cells - chunk);
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
  return (
      uint8_t)(1u << ((addr >> RC_GRANULE_SHIFT) & (RC_BLOCK_GRANULES - 1)));
}
/* The granules of the block at `block_addr` that [lo, hi) covers wholly
 * (`whole`) or touches; [lo, hi) lies in the block. */
static inline uint8_t rc_granules_within(uintptr_t block_addr, uintptr_t lo,
                                         uintptr_t hi, bool whole) {
  unsigned first = (unsigned)(lo - block_addr),
           last = (unsigned)(hi - block_addr);
  first = whole ? (first + RC_GRANULE - 1) >> RC_GRANULE_SHIFT
                : first >> RC_GRANULE_SHIFT;
  last = whole ? last >> RC_GRANULE_SHIFT
               : (last + RC_GRANULE - 1) >> RC_GRANULE_SHIFT;
  return first < last ? (uint8_t)(((1u << last) - 1) & ~((1u << first) - 1))
                      : 0;
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

/* ---- storing ---- */

static inline void rc_remember_cell(const rc_shadow_probe *p,
                                    uintptr_t granule_addr, int index) {
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

#endif /* RACECHECK_SHADOW_CELLS_H */
