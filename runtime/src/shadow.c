/* shadow.c — shadow memory and the data-race check (FastTrack, Flanagan &
 * Freund, PLDI'09, with TSan-style byte-precise shadow cells, Serebryany &
 * Iskhodzhanov, WBIA'09).
 *
 * Layout: a directory indexed by addr >> 20 (reserved MAP_NORESERVE, so only
 * touched pages cost memory) points to lazily mapped shadow chunks, one per
 * MiB of application memory. Every 8-byte granule owns RC_SHADOW_CELLS cells
 * of 24 bytes: 4 x 24 = 96 shadow bytes per 8 application bytes (12x).
 *
 * A cell remembers one earlier access: thread, epoch (that thread's clock at
 * the access), which bytes of the granule (mask), write/atomic, and for the
 * report its site, stack and lock set. An access races with a cell of another
 * thread when their byte masks overlap, one of them writes, not both are
 * atomic, and the cell's epoch is not covered by the accessing thread's vector
 * clock (the FastTrack epoch test, done per cell).
 *
 * Only the thread holding the run token gets here, so no locks are needed. */
#include "rt_internal.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

enum {
  RC_SHADOW_CELLS = 4,
  RC_GRANULE_SHIFT = 3,
  RC_GRANULE = 1 << RC_GRANULE_SHIFT,
  RC_CHUNK_SHIFT = 20,               /* one shadow chunk per MiB */
  RC_ADDRESS_BITS = 47,              /* x86-64 user space */
  RC_CELL_WRITE = 1,
  RC_CELL_ATOMIC = 2,
  RC_SHADOW_PAGE = 4096,
};
#define RC_CHUNK_BYTES ((uintptr_t)1 << RC_CHUNK_SHIFT)
#define RC_DIRECTORY_ENTRIES ((size_t)1 << (RC_ADDRESS_BITS - RC_CHUNK_SHIFT))
#define RC_CHUNK_SHADOW_BYTES                                                  \
  ((RC_CHUNK_BYTES >> RC_GRANULE_SHIFT) * RC_SHADOW_CELLS *                    \
   sizeof(rc_shadow_cell))
/* Below this many shadow bytes clearing uses memset; above it whole pages are
 * dropped with madvise, which is cheaper than touching them. */
#define RC_SHADOW_MADVISE_MIN (64 * 1024)

typedef struct rc_shadow_cell {
  const rc_site *site;
  uint32_t clock;       /* epoch of `tid` at the access */
  uint16_t tid;
  uint8_t mask;         /* bytes of the granule accessed; 0 = empty cell */
  uint8_t flags;        /* RC_CELL_WRITE | RC_CELL_ATOMIC */
  rc_stack_id stack;
  rc_lockset_id lockset;
} rc_shadow_cell;
_Static_assert(sizeof(rc_shadow_cell) == 24, "shadow cell must stay 24 bytes");

static rc_shadow_cell **g_shadow_directory;
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

/* The cells of the granule holding `addr`, or null when `addr` is outside the
 * tracked address space or (with create false) has no shadow yet. */
static rc_shadow_cell *rc_shadow_cells(uintptr_t addr, bool create) {
  size_t index = addr >> RC_CHUNK_SHIFT;
  if (RC_UNLIKELY(index >= RC_DIRECTORY_ENTRIES))
    return 0;
  if (RC_UNLIKELY(!g_shadow_directory)) {
    if (!create)
      return 0;
    g_shadow_directory =
        rc_shadow_mmap(RC_DIRECTORY_ENTRIES * sizeof *g_shadow_directory);
  }
  rc_shadow_cell *chunk = g_shadow_directory[index];
  if (RC_UNLIKELY(!chunk)) {
    if (!create)
      return 0;
    chunk = rc_shadow_mmap(RC_CHUNK_SHADOW_BYTES);
    g_shadow_directory[index] = chunk;
  }
  return chunk + ((addr & (RC_CHUNK_BYTES - 1)) >> RC_GRANULE_SHIFT) *
                     RC_SHADOW_CELLS;
}

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
               const rc_shadow_cell *previous) {
  if (!rc_first_report_of_pair(site, previous->site))
    return;
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
      (rc_access){.tid = previous->tid,
                  .write = (previous->flags & RC_CELL_WRITE) != 0,
                  .atomic = (previous->flags & RC_CELL_ATOMIC) != 0,
                  .size = (uint32_t)__builtin_popcount(previous->mask),
                  .site = previous->site,
                  .stack = previous->stack,
                  .lockset = previous->lockset};
  /* Describe the first byte both accesses touch, now, while the memory (and
   * its heap block) is still alive. */
  uintptr_t conflict =
      granule_addr + (uintptr_t)__builtin_ctz(previous->mask & mask);
  rc_describe_address(conflict, &f->variable);
  rc_add_finding(f);
}

static inline void rc_shadow_granule(rc_thread *t, rc_shadow_cell *cells,
                                     uintptr_t granule_addr, uint8_t mask,
                                     uint32_t size, bool write, bool atomic,
                                     const rc_site *site, rc_clock epoch) {
  int store = -1; /* a cell the new access supersedes, else an empty one */
  int empty = -1;
  for (int i = 0; i < RC_SHADOW_CELLS; i++) {
    rc_shadow_cell *c = &cells[i];
    if (c->mask == 0) {
      if (empty < 0)
        empty = i;
      continue;
    }
    bool c_write = (c->flags & RC_CELL_WRITE) != 0;
    bool c_atomic = (c->flags & RC_CELL_ATOMIC) != 0;
    bool covered = (c->mask & ~mask) == 0;
    bool superseded;
    if (c->tid == t->tid) {
      /* Fast path (as in TSan): the same access was already recorded in this
       * epoch. Without a release since (which would have ticked the epoch) no
       * other thread's later access can be ordered after it, so each of them
       * was checked against this cell and any race with this site pair is
       * already reported; nothing new can be found or recorded. */
      if (c->clock == epoch && (mask & ~c->mask) == 0 && c->site == site &&
          (c_write || !write) && (!c_atomic || atomic) &&
          c->stack == t->current_stack && c->lockset == t->lockset)
        return;
      /* A later access of the same thread to the same bytes finds every race
       * the earlier one would, if it is at least as strong: write >= read,
       * plain >= atomic. */
      superseded = covered && (write || !c_write) && (!atomic || c_atomic);
    } else {
      if (!(c->mask & mask))
        continue;
      bool ordered = c->clock <= rc_vc_get(&t->vc, c->tid);
      if (!ordered && (write || c_write) && !(atomic && c_atomic)) {
        rc_report_race(t, granule_addr, mask, size, write, atomic, site, c);
        continue;
      }
      /* FastTrack's write rule: a plain write ordered after the cell
       * conflicts with anything the cell conflicts with. */
      superseded = ordered && covered && write && !atomic;
    }
    if (superseded) {
      if (store < 0)
        store = i;
      else
        c->mask = 0; /* a second superseded cell: free it */
    }
  }
  if (store < 0)
    store = empty;
  if (store < 0)
    store = (int)(g_shadow_evictions++ % RC_SHADOW_CELLS);
  rc_shadow_cell *c = &cells[store];
  c->site = site;
  c->clock = epoch;
  c->tid = (uint16_t)t->tid;
  c->mask = mask;
  c->flags = (uint8_t)((write ? RC_CELL_WRITE : 0) | (atomic ? RC_CELL_ATOMIC : 0));
  c->stack = t->current_stack;
  c->lockset = t->lockset;
}

void rc_shadow_access(rc_thread *t, uintptr_t addr, uint32_t size, bool write,
                      bool atomic, const rc_site *site) {
  RC_CHECK(t->tid <= UINT16_MAX);
  rc_clock epoch = rc_vc_get(&t->vc, t->tid);
  uint32_t remaining = size;
  while (remaining) {
    uint32_t offset = (uint32_t)(addr & (RC_GRANULE - 1));
    uint32_t n = RC_GRANULE - offset;
    if (n > remaining)
      n = remaining;
    uint8_t mask = (uint8_t)(((1u << n) - 1) << offset);
    rc_shadow_cell *cells = rc_shadow_cells(addr, true);
    if (RC_UNLIKELY(!cells))
      return;
    rc_shadow_granule(t, cells, addr - offset, mask, size, write, atomic, site,
                      epoch);
    addr += n;
    remaining -= n;
  }
}

static void rc_shadow_clear_partial(rc_shadow_cell *cells, uint8_t mask) {
  for (int i = 0; i < RC_SHADOW_CELLS; i++)
    cells[i].mask &= (uint8_t)~mask; /* mask 0 makes the cell empty */
}

static void rc_shadow_zero(void *begin, size_t bytes) {
  if (bytes < RC_SHADOW_MADVISE_MIN) {
    memset(begin, 0, bytes);
    return;
  }
  uintptr_t b = (uintptr_t)begin, e = b + bytes;
  uintptr_t pb = (b + RC_SHADOW_PAGE - 1) & ~(uintptr_t)(RC_SHADOW_PAGE - 1);
  uintptr_t pe = e & ~(uintptr_t)(RC_SHADOW_PAGE - 1);
  memset((void *)b, 0, pb - b);
  /* Private anonymous pages read back as zero after MADV_DONTNEED. */
  rc_raw_syscall(SYS_madvise, (long)pb, (long)(pe - pb), MADV_DONTNEED, 0, 0,
                 0);
  memset((void *)pe, 0, e - pe);
}

void rc_shadow_clear(uintptr_t addr, size_t size) {
  uintptr_t end = addr + size;
  if (end < addr)
    end = UINTPTR_MAX; /* wrapped: clear to the top */
  /* partial first granule */
  if (addr & (RC_GRANULE - 1)) {
    uintptr_t granule_end = (addr | (RC_GRANULE - 1)) + 1;
    uintptr_t stop = end < granule_end ? end : granule_end;
    uint8_t mask = (uint8_t)(((1u << (stop - addr)) - 1)
                             << (addr & (RC_GRANULE - 1)));
    rc_shadow_cell *cells = rc_shadow_cells(addr, false);
    if (cells)
      rc_shadow_clear_partial(cells, mask);
    addr = stop;
  }
  /* whole granules, one chunk at a time */
  while (end - addr >= RC_GRANULE) {
    uintptr_t chunk_end = (addr | (RC_CHUNK_BYTES - 1)) + 1;
    uintptr_t stop = chunk_end < end ? chunk_end : end;
    stop &= ~(uintptr_t)(RC_GRANULE - 1);
    rc_shadow_cell *cells = rc_shadow_cells(addr, false);
    if (cells)
      rc_shadow_zero(cells, ((stop - addr) >> RC_GRANULE_SHIFT) *
                                RC_SHADOW_CELLS * sizeof(rc_shadow_cell));
    else if ((addr >> RC_CHUNK_SHIFT) >= RC_DIRECTORY_ENTRIES)
      return;
    addr = stop;
  }
  /* partial last granule */
  if (addr < end) {
    uint8_t mask = (uint8_t)((1u << (end - addr)) - 1);
    rc_shadow_cell *cells = rc_shadow_cells(addr, false);
    if (cells)
      rc_shadow_clear_partial(cells, mask);
  }
}
