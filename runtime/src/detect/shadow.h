/* shadow.h — the shadow memory layout, shared by shadow.c and the inline
 * same-epoch fast path that access.c runs on every plain load and store.
 *
 * Every 8-byte granule of application memory owns RC_SHADOW_CELLS cells, kept
 * in two parallel regions (the split of TSan's v3 shadow, where only the
 * compact part is checked on every access):
 *  - hot: one 64-bit word per cell {clock:32, tid:16, mask:8, flags:8},
 *    4 x 8 = 32 bytes per granule (half a cache line), read by every access;
 *  - cold: the id of the cell's report context {site, access size, stack,
 *    lock set}, interned in a table (shadow.c), 4 x 4 = 16 bytes per
 *    granule, touched only when a cell is stored, merged or reported.
 * 48 shadow bytes per 8 application bytes, of which 32 are on the hot path.
 *
 * Every 64-byte block of 8 granules also owns a block line, for dynamic
 * granularity: RC_SHADOW_CELLS cells with their contexts, and a members
 * byte. Granules that whole-granule accesses (box rows, ranges) leave with
 * the same cells and contexts keep them once, in the block line, as its
 * members (bit g: granule g); a member's granule cells are all empty. The
 * same-epoch test on a member granule therefore fails, and the slow path
 * (shadow_blocks.c) checks the line, or splits the block back into granules
 * before an access that covers only some members. So the inline test below
 * never sees stale cells. A block whose members are all 8 granules is
 * "coarse"; a block shared with neighbouring data (the first block of a
 * grid row that starts 16 bytes into it) keeps the granules it can.
 *
 * A block line, {cells[4], contexts[4], members, 15 spare bytes}, is one
 * cache line: unlike granule cells it is never read by the inline test,
 * and a line check that stores a cell also stores its context, so one
 * line moves instead of two. That reserves 8 more shadow bytes per 8
 * application bytes; memory that only whole-block accesses touch gets only
 * its block lines written.
 *
 * The same one level up: a 512-byte super-block keeps the line of its
 * coarse, alike blocks once, in its super line, whose members byte says
 * which blocks (their block lines and granule cells are all empty); an
 * access that covers some members but not all splits it back into coarse
 * blocks first.
 *
 * A shadow chunk covers one MiB of application memory: its hot granule
 * cells, their cold contexts in the same order, its block lines, then its
 * super lines. A
 * directory indexed by addr >> 20 (reserved with MAP_NORESERVE) points to
 * the lazily mapped chunks. */
#ifndef RACECHECK_SHADOW_H
#define RACECHECK_SHADOW_H

#include "core/runtime.h"

enum {
  RC_SHADOW_CELLS = 4,
  RC_GRANULE_SHIFT = 3,
  RC_GRANULE = 1 << RC_GRANULE_SHIFT,
  RC_BLOCK_SHIFT = 6,
  RC_BLOCK = 1 << RC_BLOCK_SHIFT, /* bytes of a block */
  RC_BLOCK_GRANULES = RC_BLOCK / RC_GRANULE,
  RC_SUPER_SHIFT = 9,
  RC_SUPER = 1 << RC_SUPER_SHIFT, /* bytes of a super-block: 8 blocks */
  RC_SUPER_BLOCKS = RC_SUPER / RC_BLOCK,
  RC_CHUNK_SHIFT = 20,  /* one shadow chunk per MiB */
  RC_ADDRESS_BITS = 47, /* x86-64 user space */
  RC_CELL_WRITE = 1,    /* flags */
  RC_CELL_ATOMIC = 2,
};
#define RC_CHUNK_BYTES ((uintptr_t)1 << RC_CHUNK_SHIFT)
#define RC_CHUNK_GRANULES (RC_CHUNK_BYTES >> RC_GRANULE_SHIFT)
#define RC_CHUNK_BLOCKS (RC_CHUNK_BYTES >> RC_BLOCK_SHIFT)
#define RC_CHUNK_SUPERS (RC_CHUNK_BYTES >> RC_SUPER_SHIFT)
#define RC_DIRECTORY_ENTRIES ((size_t)1 << (RC_ADDRESS_BITS - RC_CHUNK_SHIFT))

/* A hot cell. mask 0 means empty; an empty cell is all zero. */
typedef uint64_t rc_shadow_cell;
#define RC_CELL_TID_SHIFT 32
#define RC_CELL_MASK_SHIFT 48
#define RC_CELL_FLAGS_SHIFT 56
/* clock and tid: the bits that say "this thread, this epoch" */
#define RC_CELL_EPOCH_BITS ((UINT64_C(1) << RC_CELL_MASK_SHIFT) - 1)

static inline rc_clock rc_cell_clock(rc_shadow_cell c) { return (uint32_t)c; }
static inline rc_tid rc_cell_tid(rc_shadow_cell c) {
  return (uint16_t)(c >> RC_CELL_TID_SHIFT);
}
static inline uint8_t rc_cell_mask(rc_shadow_cell c) {
  return (uint8_t)(c >> RC_CELL_MASK_SHIFT);
}
static inline uint8_t rc_cell_flags(rc_shadow_cell c) {
  return (uint8_t)(c >> RC_CELL_FLAGS_SHIFT);
}
static inline rc_shadow_cell rc_cell_make(rc_clock clock, rc_tid tid,
                                          uint8_t mask, uint8_t flags) {
  return (uint64_t)clock | (uint64_t)(uint16_t)tid << RC_CELL_TID_SHIFT |
         (uint64_t)mask << RC_CELL_MASK_SHIFT |
         (uint64_t)flags << RC_CELL_FLAGS_SHIFT;
}

/* The cold half of a cell: the id of what a report says about the access
 * (its interned rc_access_context, shadow.c); 0 only in an empty cell. */
typedef uint32_t rc_shadow_context;

#define RC_CHUNK_HOT_CELLS (RC_CHUNK_GRANULES * RC_SHADOW_CELLS)
#define RC_CHUNK_HOT_BYTES (RC_CHUNK_HOT_CELLS * sizeof(rc_shadow_cell))
#define RC_CHUNK_BLOCKS_OFFSET                                                 \
  (RC_CHUNK_HOT_BYTES + RC_CHUNK_HOT_CELLS * sizeof(rc_shadow_context))
#define RC_BLOCK_LINE 64 /* bytes of a block's cells and contexts */
#define RC_CHUNK_SUPERS_OFFSET                                                 \
  (RC_CHUNK_BLOCKS_OFFSET + RC_CHUNK_BLOCKS * RC_BLOCK_LINE)
#define RC_CHUNK_SHADOW_BYTES                                                  \
  (RC_CHUNK_SUPERS_OFFSET + RC_CHUNK_SUPERS * RC_BLOCK_LINE)

/* Chunk bases by addr >> RC_CHUNK_SHIFT; null until first touched. */
extern rc_shadow_cell **rc_shadow_directory;

/* The hot cells of the granule holding `addr`, or null when it has no shadow
 * yet (or lies outside user space). */
static inline __attribute__((always_inline)) rc_shadow_cell *
rc_shadow_lookup(uintptr_t addr) {
  rc_shadow_cell **directory = rc_shadow_directory;
  size_t index = addr >> RC_CHUNK_SHIFT;
  if (RC_UNLIKELY(index >= RC_DIRECTORY_ENTRIES) || RC_UNLIKELY(!directory))
    return 0;
  rc_shadow_cell *chunk = directory[index];
  if (RC_UNLIKELY(!chunk))
    return 0;
  return chunk +
         ((addr & (RC_CHUNK_BYTES - 1)) >> RC_GRANULE_SHIFT) * RC_SHADOW_CELLS;
}

/* The same-epoch test (TSan's "same access already stored"): true when one
 * of the cells is this thread's, in this epoch, covers `mask` and is at least
 * as strong as the access (a write if it writes; plain unless it is atomic).
 * Such an access can neither find a race the cell did not find nor change
 * what later accesses find: without a release since (which would have ticked
 * the epoch) nothing of another thread can be ordered between the two. The
 * report then names the first access of the epoch, as TSan's does. */
static inline __attribute__((always_inline)) bool
rc_shadow_same_epoch_as(const rc_shadow_cell *cells, uint64_t self,
                        uint8_t mask, bool write, bool atomic) {
  uint64_t need = (uint64_t)mask << RC_CELL_MASK_SHIFT |
                  (uint64_t)(write ? RC_CELL_WRITE : 0) << RC_CELL_FLAGS_SHIFT;
  uint64_t forbid = (uint64_t)(atomic ? 0 : RC_CELL_ATOMIC)
                    << RC_CELL_FLAGS_SHIFT;
  /* `self` has no bits above the epoch's, and `need` and `forbid` none in
   * them or in common, so one xor and one and per cell test all three:
   * the same epoch, every needed bit set, no forbidden bit set. Fewer live
   * values than three separate terms keep the inlined fast path within the
   * caller-saved registers. */
  uint64_t want = self | need;
  uint64_t select = RC_CELL_EPOCH_BITS | need | forbid;
  /* Stopping at the first match: a thread's own cell tends to sit in the
   * first slots, and this measured ~10% faster than testing all four with
   * SSE2. */
  for (int i = 0; i < RC_SHADOW_CELLS; i++)
    if (((cells[i] ^ want) & select) == 0)
      return true;
  return false;
}

/* The same, for thread `tid` at clock `epoch`. */
static inline __attribute__((always_inline)) bool
rc_shadow_same_epoch(const rc_shadow_cell *cells, rc_tid tid, rc_clock epoch,
                     uint8_t mask, bool write, bool atomic) {
  return rc_shadow_same_epoch_as(cells, rc_cell_make(epoch, tid, 0, 0), mask,
                                 write, atomic);
}

/* The same-epoch test for an access inside one granule (the common case
 * of every load and store), inline: true when the access needs no further
 * check; false sends it to rc_shadow_access. */
static inline __attribute__((always_inline)) bool
rc_shadow_seen_this_epoch_as(const rc_thread *t, uintptr_t addr, uint32_t size,
                             bool write, bool atomic) {
  uint32_t offset = (uint32_t)(addr & (RC_GRANULE - 1));
  if (RC_UNLIKELY(size > RC_GRANULE || offset + size > RC_GRANULE))
    return false;
  const rc_shadow_cell *cells = rc_shadow_lookup(addr);
  if (RC_UNLIKELY(!cells))
    return false;
  /* t->epoch_cell is this thread's current epoch (rc_thread_epoch_changed),
   * or matches no cell when its tid does not fit one. */
  RC_DCHECK(t->tid > UINT16_MAX ||
            t->epoch_cell ==
                rc_cell_make(rc_vc_get(&t->vc, t->tid), t->tid, 0, 0));
  uint8_t mask = (uint8_t)(((1u << size) - 1) << offset);
  return rc_shadow_same_epoch_as(cells, t->epoch_cell, mask, write, atomic);
}

/* The same, for a plain access. */
static inline __attribute__((always_inline)) bool
rc_shadow_seen_this_epoch(const rc_thread *t, uintptr_t addr, uint32_t size,
                          bool write) {
  return rc_shadow_seen_this_epoch_as(t, addr, size, write, false);
}

/* The check of an atomic access: it races only with plain accesses, and a
 * cell of this thread and epoch that covers it (plain or atomic, a write if
 * it writes) has met every one it could meet since, so the same-epoch test
 * settles it inline as it settles a plain access (a relaxed counter bumped
 * again before the thread's next release); the rest in rc_shadow_access. */
static inline __attribute__((always_inline)) void
rc_shadow_atomic_access(rc_thread *t, uintptr_t addr, uint32_t size, bool write,
                        const rc_site *site) {
  if (!rc_shadow_seen_this_epoch_as(t, addr, size, write, true))
    rc_shadow_access(t, addr, size, write, true, site);
}

#endif /* RACECHECK_SHADOW_H */
