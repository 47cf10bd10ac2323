/* shadow_clear.c — emptying the shadow of freed memory and finished
 * threads' stacks: partial granules by mask, whole granules, block and
 * super lines by memset or, for large ranges, by dropping whole shadow
 * pages. */
#include "detect/shadow_cells.h"

#include <sys/mman.h>
#include <sys/syscall.h>

enum { RC_SHADOW_PAGE = 4096 };
/* Below this many shadow bytes clearing uses memset; above it whole pages are
 * dropped with madvise, which is cheaper than touching them. */
#define RC_SHADOW_MADVISE_MIN (64 * 1024)

/* Only the hot cells are cleared: a context is read only behind a non-empty
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
    rc_raw_syscall(SYS_madvise, (long)*pb, (long)(*pe - *pb), MADV_DONTNEED, 0,
                   0, 0);
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
    uint8_t mask =
        (uint8_t)(((1u << (stop - addr)) - 1) << (addr & (RC_GRANULE - 1)));
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
