/* shadow_box.c — box checks of the shadow: a row of `count` plain accesses
 * `stride` bytes apart (access.c's strided box rows), gathered block by
 * block so that a block the row touches is checked once, and a super line
 * that already shows the row in this epoch settles its member blocks
 * without a call. */
#include "detect/shadow_cells.h"

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
