/* mappings.c — the program's memory mappings (mmap, munmap, mremap,
 * madvise(MADV_DONTNEED)): each change empties the shadow and the sync
 * objects of its range, so a fresh mapping at a reused address does not
 * inherit the accesses of the one before; and a table of the live mappings
 * names a race on mapped memory: the file and offset, or an anonymous
 * mapping and the position of its mmap call.
 *
 * The table is a sorted array of disjoint ranges (rc_alloc'ed, grown by
 * doubling): mapping and unmapping find their place by binary search. A
 * mapping only describes memory the program still has mapped: unmapping
 * removes (or trims) its entry, so the runtime keeps no address past the
 * mapping's lifetime. The file's path is read at mmap time from
 * /proc/self/fd/N with raw system calls (the interceptors may run before
 * libc is ready, and must not re-enter themselves). */
#include "core/runtime.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

typedef struct rc_mapping {
  uintptr_t start, end;
  uint64_t file_offset; /* of `start` in the file */
  const char *path;     /* rc_alloc'ed; null: anonymous */
  const rc_site *site;  /* the mmap call */
  rc_stack_id stack;
  rc_tid tid;
} rc_mapping;

static struct {
  rc_mapping *items;
  size_t count, cap;
} maps;

/* The first mapping whose end lies above addr (count if none). */
static size_t first_ending_above(uintptr_t addr) {
  size_t lo = 0, hi = maps.count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (maps.items[mid].end <= addr)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static void insert_at(size_t i, const rc_mapping *m) {
  if (maps.count == maps.cap) {
    size_t cap = maps.cap ? 2 * maps.cap : 64;
    maps.items = rc_realloc(maps.items, maps.cap * sizeof *maps.items,
                            cap * sizeof *maps.items);
    maps.cap = cap;
  }
  memmove(&maps.items[i + 1], &maps.items[i],
          (maps.count - i) * sizeof *maps.items);
  maps.items[i] = *m;
  maps.count++;
}

static void release_path(const char *path) {
  if (path)
    rc_free((void *)path, strlen(path) + 1);
}

/* Removes [start, end) from the table: entries inside go, entries across an
 * end are trimmed (a file mapping's remainder keeps its file offset). */
static void forget_range(uintptr_t start, uintptr_t end) {
  size_t i = first_ending_above(start);
  while (i < maps.count && maps.items[i].start < end) {
    rc_mapping *m = &maps.items[i];
    if (m->start < start && m->end > end) { /* a hole in the middle */
      rc_mapping right = *m;
      right.file_offset += end - m->start;
      right.start = end;
      right.path = m->path ? rc_strdup(m->path) : 0;
      m->end = start;
      insert_at(i + 1, &right);
      return;
    }
    if (m->start < start) {
      m->end = start;
      i++;
    } else if (m->end > end) {
      m->file_offset += end - m->start;
      m->start = end;
      i++;
    } else {
      release_path(m->path);
      memmove(m, m + 1, (maps.count - i - 1) * sizeof *maps.items);
      maps.count--;
    }
  }
}

/* The path of an open descriptor, rc_alloc'ed; null when it has none. */
static const char *fd_path(int fd) {
  char link[32] = "/proc/self/fd/";
  size_t n = strlen(link);
  char digits[12];
  int len = 0;
  unsigned value = (unsigned)fd;
  do
    digits[len++] = (char)('0' + value % 10);
  while ((value /= 10) && len < (int)sizeof digits);
  while (len > 0)
    link[n++] = digits[--len];
  link[n] = 0;
  char target[4096];
  long got = rc_raw_syscall(SYS_readlink, (long)link, (long)target,
                            sizeof target - 1, 0, 0, 0);
  if (got <= 0)
    return 0;
  target[got] = 0;
  return rc_strdup(target);
}

static uintptr_t page_end(uintptr_t addr, size_t len) {
  uintptr_t end = addr + len;
  if (end < addr)
    return UINTPTR_MAX & ~(uintptr_t)4095;
  return (end + 4095) & ~(uintptr_t)4095;
}

/* Whatever the program kept in [addr, addr+len) is gone. rc_shadow_clear
 * drops whole shadow pages of large ranges rather than touching them, and
 * skips chunks never shadowed, so a huge reservation costs little. */
static void reset_range(uintptr_t addr, size_t len) {
  rc_sync_free_range(addr, len);
  rc_shadow_clear(addr, len);
}

void rc_memory_mapped(void *addr, size_t len, int flags, int fd, long offset,
                      const rc_site *site) {
  uintptr_t start = (uintptr_t)addr, end = page_end(start, len);
  reset_range(start, end - start);
  forget_range(start, end);
  rc_thread *t = rc_self;
  rc_mapping m = {
      .start = start,
      .end = end,
      .file_offset = (flags & MAP_ANONYMOUS) || fd < 0 ? 0 : (uint64_t)offset,
      .path = (flags & MAP_ANONYMOUS) || fd < 0 ? 0 : fd_path(fd),
      .site = site,
      .stack = t ? t->current_stack : 0,
      .tid = t ? t->tid : 0,
  };
  insert_at(first_ending_above(start), &m);
}

void rc_memory_unmapped(void *addr, size_t len) {
  uintptr_t start = (uintptr_t)addr, end = page_end(start, len);
  reset_range(start, end - start);
  forget_range(start, end);
}

void rc_memory_remapped(void *old_addr, size_t old_len, void *new_addr,
                        size_t new_len) {
  uintptr_t old_start = (uintptr_t)old_addr;
  size_t i = first_ending_above(old_start);
  rc_mapping moved = {0};
  bool known = i < maps.count && maps.items[i].start <= old_start;
  if (known) {
    moved = maps.items[i];
    moved.file_offset += old_start - moved.start;
    moved.path = moved.path ? rc_strdup(moved.path) : 0;
  }
  rc_memory_unmapped(old_addr, old_len);
  uintptr_t start = (uintptr_t)new_addr, end = page_end(start, new_len);
  reset_range(start, end - start);
  forget_range(start, end);
  if (!known)
    return;
  moved.start = start;
  moved.end = end;
  insert_at(first_ending_above(start), &moved);
}

void rc_memory_discarded(void *addr, size_t len) {
  uintptr_t start = (uintptr_t)addr;
  reset_range(start, page_end(start, len) - start);
}

bool rc_mapping_describe(uintptr_t addr, rc_variable *out) {
  size_t i = first_ending_above(addr);
  if (i == maps.count || maps.items[i].start > addr)
    return false;
  const rc_mapping *m = &maps.items[i];
  out->kind = RC_VAR_MAPPING;
  out->name = m->path ? rc_strdup(m->path) : 0;
  out->offset = m->file_offset + (addr - m->start);
  out->size = m->end - m->start;
  out->site = m->site;
  out->stack = m->stack;
  out->tid = m->tid;
  return true;
}
