/* shadow_blocks.c — dynamic granularity of the shadow (shadow.h): 64-byte
 * blocks and 512-byte super-blocks whose lines keep, once, the history of
 * their alike granules or blocks (their members); splitting a line back into
 * its parts, absorbing alike parts into it, and the checks of whole blocks,
 * whole super-blocks, of a range (rc_shadow_granules) and of strided box
 * rows, which decide when a line settles an access and when granules are
 * checked one by one. The split and the whole-block check stay static
 * here: the compiler inlines them into the range walk and the box rows. */
#include "detect/shadow_cells.h"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>

/* A barrier-phased array kernel touches every granule of its arrays in every
 * phase, and each phase is a new epoch, so each granule's first check takes
 * the slow path. When whole-block accesses keep all 8 granules of a block
 * alike, the block is checked once instead, through its block cells: the
 * check of a block cell is exactly the check each granule would have made. */

bool rc_shadow_blocks_enabled = true;

/* ---- splitting and absorbing ---- */

/* Gives every member granule of a block the block line's cells and
 * contexts; the line empties. */
static void rc_block_split(rc_shadow_cell *block, uintptr_t block_addr) {
  rc_shadow_cell *granules = rc_shadow_lookup(block_addr);
  const rc_shadow_context *block_contexts =
      rc_shadow_contexts(block, block_addr);
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
  rc_shadow_context *line_contexts =
      (rc_shadow_context *)(line + RC_SHADOW_CELLS);
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
    if ((whole >> b & 1) &&
        rc_block_is_coarse(rc_line_of_block(first_block, b)))
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
void rc_lines_split_at(uintptr_t addr) {
  if (!rc_shadow_lookup(addr))
    return; /* no shadow yet, or outside user space */
  rc_super_split_at(addr);
  rc_shadow_cell *block = rc_block_cells(addr);
  if (rc_line_members(block))
    rc_block_split(block, addr & ~(uintptr_t)(RC_BLOCK - 1));
}

/* ---- checks through lines ---- */

/* A partial access meeting the coarse line (super-block or block) that
 * holds its granule's history: true when the line settles it (a free's check
 * runs on the line itself; an access the line already shows in this epoch
 * needs nothing), false when the caller must split the line. */
static bool rc_coarse_line_settles(const rc_shadow_probe *p,
                                   rc_shadow_cell *line, uintptr_t granule_addr,
                                   uint8_t mask) {
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
  if (p->check_only || !rc_shadow_same_epoch(line, p->t->tid, p->epoch, 0xFF,
                                             p->write, p->atomic))
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
    if (p->check_only || !rc_shadow_same_epoch(cells, p->t->tid, p->epoch, 0xFF,
                                               p->write, p->atomic)) {
      rc_shadow_granule(p, cells, granule_addr, 0xFF);
      stored = true;
    }
  }
  if (stored && !p->check_only && RC_LIKELY(rc_shadow_blocks_enabled))
    rc_block_absorb(block, granules, block_addr, 0xFF);
}

/* Reading shadow nobody wrote costs nothing where the kernel maps its
 * shared zero page for read faults. Some kernels (seen in a microVM guest)
 * give every read fault a page of its own, and there the checks of block
 * lines and granule cells in the untouched test below, 3.5 KiB a
 * super-block, committed 1.3 GiB for a 256 MiB file mapping read once. There,
 * if the machine has no swap, a page that is not resident was never written (or
 * was dropped, which zeroes it), so mincore answers instead of a read. Probed
 * once; either way the answer is the same, so runs stay deterministic. */
enum { RC_SHADOW_PAGE = 4096 };
static int g_residency_answers; /* 0: not probed, 1: ask mincore, 2: read */

static bool rc_read_faults_commit(void) {
  long page = rc_raw_syscall(SYS_mmap, 0, RC_SHADOW_PAGE, PROT_READ,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page < 0 && page > -4096)
    return false;
  (void)*(volatile const char *)page;
  unsigned char resident = 0;
  long r = rc_raw_syscall(SYS_mincore, page, RC_SHADOW_PAGE, (long)&resident, 0,
                          0, 0);
  rc_raw_syscall(SYS_munmap, page, RC_SHADOW_PAGE, 0, 0, 0, 0);
  return r == 0 && (resident & 1);
}

static bool rc_no_swap(void) {
  struct sysinfo info;
  return rc_raw_syscall(SYS_sysinfo, (long)&info, 0, 0, 0, 0, 0) == 0 &&
         info.totalswap == 0;
}

/* True when no page under [cells, cells + bytes) was ever written, known
 * without reading it; false when unknown. */
static bool rc_shadow_known_unwritten(const void *cells, size_t bytes) {
  if (RC_UNLIKELY(!g_residency_answers))
    g_residency_answers = rc_read_faults_commit() && rc_no_swap() ? 1 : 2;
  if (g_residency_answers != 1)
    return false;
  uintptr_t begin = (uintptr_t)cells & ~(uintptr_t)(RC_SHADOW_PAGE - 1);
  uintptr_t end = ((uintptr_t)cells + bytes + RC_SHADOW_PAGE - 1) &
                  ~(uintptr_t)(RC_SHADOW_PAGE - 1);
  unsigned char resident[4];
  if (end - begin > sizeof resident * RC_SHADOW_PAGE ||
      rc_raw_syscall(SYS_mincore, (long)begin, (long)(end - begin),
                     (long)resident, 0, 0, 0) != 0)
    return false;
  for (uintptr_t i = 0; i < (end - begin) / RC_SHADOW_PAGE; i++)
    if (resident[i] & 1)
      return false;
  return true;
}

/* Whether a super-block (its line, first block line and granule cells)
 * holds no history at all. */
static bool rc_super_untouched(const rc_shadow_cell *super,
                               const rc_shadow_cell *block,
                               const rc_shadow_cell *granules) {
  if (!rc_cells_empty(super, RC_SHADOW_CELLS))
    return false;
  if (!rc_shadow_known_unwritten(block, RC_SUPER_BLOCKS * RC_BLOCK_LINE))
    for (int b = 0; b < RC_SUPER_BLOCKS; b++) {
      const rc_shadow_cell *line = block + b * (RC_BLOCK_LINE / sizeof *block);
      if (rc_line_members(line) || !rc_cells_empty(line, RC_SHADOW_CELLS))
        return false;
    }
  enum {
    GRANULE_CELLS = RC_SUPER_BLOCKS * RC_BLOCK_GRANULES * RC_SHADOW_CELLS
  };
  return rc_shadow_known_unwritten(granules,
                                   GRANULE_CELLS * sizeof *granules) ||
         rc_cells_empty(granules, GRANULE_CELLS);
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
  if (!members && !p->check_only &&
      rc_super_untouched(super, block, granules)) {
    /* Nothing to check against: the super line takes the access for all
     * 8 blocks at once, as absorbing 8 fresh coarse blocks would, without
     * writing (and so committing) their block lines: a sweep over fresh
     * memory costs one line per 512 bytes. */
    rc_shadow_granule(p, super, super_addr, 0xFF);
    *rc_line_members_slot(super) = 0xFF;
    return;
  }
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

/* The bytes of the whole `unit`s (a power of two) of `remaining` bytes from
 * `addr`, up to the end of its shadow chunk. */
static inline uint64_t rc_whole_units(uintptr_t addr, uint64_t remaining,
                                      uint64_t unit) {
  uint64_t to_chunk_end = RC_CHUNK_BYTES - (addr & (RC_CHUNK_BYTES - 1));
  uint64_t whole = remaining & ~(unit - 1);
  return whole < to_chunk_end ? whole : to_chunk_end;
}

/* rc_shadow_granules at a super-block boundary with at least one whole
 * super-block to go: the whole super-blocks up to the end of this shadow
 * chunk. Returns the bytes checked. */
static inline __attribute__((always_inline)) uint64_t
rc_check_whole_supers(const rc_shadow_probe *p, uintptr_t addr,
                      uint64_t remaining, rc_shadow_cell *cells) {
  bool steady = !p->check_only && !p->atomic;
  rc_shadow_cell fresh = rc_cell_make(p->epoch, p->t->tid, 0xFF, p->flags);
  uint64_t n = rc_whole_units(addr, remaining, RC_SUPER);
  rc_shadow_cell *super = rc_super_line(addr);
  rc_shadow_cell *block = rc_block_cells(addr);
  for (uint64_t done = 0; done < n; done += RC_SUPER) {
    __builtin_prefetch((char *)super + 2 * RC_BLOCK_LINE, 1);
    if (!(steady && rc_super_steady(super, fresh, p->write, p->context)))
      rc_shadow_whole_super(p, super, block, cells, addr + done, steady, fresh);
    super += RC_BLOCK_LINE / sizeof *super;
    block += RC_SUPER_BLOCKS * RC_BLOCK_LINE / sizeof *block;
    cells += (RC_SUPER / RC_GRANULE) * RC_SHADOW_CELLS;
  }
  return n;
}

/* rc_shadow_granules at a block boundary with at least one whole block to
 * go: the whole blocks up to the end of this shadow chunk or the next
 * super-block boundary, whose granule and block cells are consecutive.
 * Returns the bytes checked. */
static inline __attribute__((always_inline)) uint64_t
rc_check_whole_blocks(const rc_shadow_probe *p, uintptr_t addr,
                      uint64_t remaining, rc_shadow_cell *cells) {
  bool steady = !p->check_only && !p->atomic;
  rc_shadow_cell fresh = rc_cell_make(p->epoch, p->t->tid, 0xFF, p->flags);
  uint64_t n = rc_whole_units(addr, remaining, RC_BLOCK);
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
  uint8_t covered =
      (uint8_t)(((1u << (n >> RC_BLOCK_SHIFT)) - 1)
                << ((addr >> RC_BLOCK_SHIFT) & (RC_SUPER_BLOCKS - 1)));
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
    } else if (!(steady && rc_block_steady(block, fresh, p->write, p->context)))
      rc_shadow_whole_block(p, block, cells, addr + done);
    block += RC_BLOCK_LINE / sizeof *block;
    cells += RC_BLOCK_GRANULES * RC_SHADOW_CELLS;
  }
  uint8_t outside = (uint8_t)(covered & ~rc_line_members(super));
  if (outside && !p->check_only && RC_LIKELY(rc_shadow_blocks_enabled))
    rc_super_absorb(super, super_addr, covered);
  return n;
}

/* rc_shadow_granules elsewhere: the granules up to the next block boundary, in
 * a block the access covers only in part (the ends of a span, a single access),
 * with the same-epoch test and the own-data update inline. The block line
 * first: when the access touches its members, it checks them once if it covers
 * them all (or already shows this access in this epoch), else it splits.
 * The super line before it: a member block's line is empty, and a
 * single access to coarse data (the common slow path) then never loads
 * it. Returns the bytes checked. */
static inline __attribute__((always_inline)) uint64_t
rc_check_partial_block(const rc_shadow_probe *p, uintptr_t addr,
                       uint64_t remaining, rc_shadow_cell *cells) {
  uintptr_t start = addr;
  uint32_t offset = (uint32_t)(addr & (RC_GRANULE - 1));
  bool steady = !p->check_only && !p->atomic;
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
    return stop - start;
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
               rc_shadow_same_epoch(block, p->t->tid, p->epoch, 0xFF, p->write,
                                    p->atomic)) {
      if (!(touched & ~members)) {
        return stop - start;
      }
      settled = members;
      line_checked = true; /* nothing to do for them */
    } else {
      rc_block_split(block, block_addr);
    }
  }
  uint8_t changed = 0;             /* granules stored on their own */
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
               !rc_shadow_same_epoch(cells, p->t->tid, p->epoch, mask, p->write,
                                     p->atomic)) {
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
              rc_cell_make(p->epoch, p->t->tid, mask, p->flags), mask, p->write,
              p->context);
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
  return addr - start;
}

/* Checks [addr, addr + size): whole super-blocks and blocks at once, the
 * rest granule by granule; p->size is what reports and contexts say the
 * access's size was. */
void rc_shadow_granules(const rc_shadow_probe *p, uintptr_t addr,
                        uint64_t size) {
  uint64_t remaining = size;
  while (remaining) {
    rc_shadow_cell *cells = rc_shadow_cells_create(addr);
    if (RC_UNLIKELY(!cells))
      return;
    uint64_t n;
    if ((addr & (RC_SUPER - 1)) == 0 && remaining >= RC_SUPER &&
        RC_LIKELY(rc_shadow_blocks_enabled))
      n = rc_check_whole_supers(p, addr, remaining, cells);
    else if ((addr & (RC_BLOCK - 1)) == 0 && remaining >= RC_BLOCK)
      n = rc_check_whole_blocks(p, addr, remaining, cells);
    else
      n = rc_check_partial_block(p, addr, remaining, cells);
    addr += n;
    remaining -= n;
  }
}

/* ---- strided box rows ----
 * A row of `count` plain accesses `stride` bytes apart (access.c's strided
 * box rows), gathered block by block so that a block the row touches is
 * checked once, and a super line that already shows the row in this epoch
 * settles its member blocks without a call. */

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
      rc_shadow_granule(p, cells, block_addr + (uintptr_t)g * RC_GRANULE, mask);
  }
}

void rc_shadow_access_strided(rc_thread *t, uintptr_t addr, unsigned long count,
                              uint64_t stride, uint32_t access_size, bool write,
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
