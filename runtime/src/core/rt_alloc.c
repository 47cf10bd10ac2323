/* rt_alloc.c — the runtime's own memory: an mmap arena that never calls
 * malloc, so the runtime works before libc is initialised and inside the
 * malloc interceptors.
 *
 * Small requests (<= RC_ALLOC_MAX_SMALL) are rounded up to a power-of-two size
 * class and served from per-class free lists, refilled by bump allocation from
 * 1 MiB slabs. Larger requests are their own anonymous mapping. All memory is
 * returned zeroed. A tiny spinlock guards the arena because heap.c's malloc
 * interceptor may reach rc_alloc from threads that do not hold the run token
 * (thread exit paths, threads back from real I/O, early libc init). */
#include "core/runtime.h"
#include "core/reservations.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

enum {
  RC_ALLOC_MIN_SHIFT = 4,  /* 16-byte classes and alignment */
  RC_ALLOC_MAX_SHIFT = 16, /* 64 KiB: largest class */
  RC_ALLOC_NUM_CLASSES = RC_ALLOC_MAX_SHIFT - RC_ALLOC_MIN_SHIFT + 1,
  RC_ALLOC_SLAB_SIZE = 1 << 20,
  RC_PAGE_SIZE = 4096,
};
#define RC_ALLOC_MAX_SMALL ((size_t)1 << RC_ALLOC_MAX_SHIFT)

typedef struct rc_free_block {
  struct rc_free_block *next;
} rc_free_block;

static rc_free_block *g_free_lists[RC_ALLOC_NUM_CLASSES];
static char *g_slab_cursor, *g_slab_end;
static int g_alloc_lock;

static void rc_alloc_lock(void) {
  while (__atomic_exchange_n(&g_alloc_lock, 1, __ATOMIC_ACQUIRE))
    while (__atomic_load_n(&g_alloc_lock, __ATOMIC_RELAXED))
      __builtin_ia32_pause();
}

static void rc_alloc_unlock(void) {
  __atomic_store_n(&g_alloc_lock, 0, __ATOMIC_RELEASE);
}

static void *rc_map_pages(size_t size) {
  long r = rc_raw_syscall(SYS_mmap, 0, (long)size, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (r < 0 && r > -4096)
    rc_fatal("out of memory: mmap of %zu bytes failed (errno %ld)", size, -r);
  rc_reservations_add((long)size);
  return (void *)r;
}

static size_t rc_page_round(size_t size) {
  return (size + RC_PAGE_SIZE - 1) & ~(size_t)(RC_PAGE_SIZE - 1);
}

static unsigned rc_size_class(size_t size) {
  if (size <= ((size_t)1 << RC_ALLOC_MIN_SHIFT))
    return 0;
  /* ceil(log2(size)) - MIN_SHIFT */
  return (unsigned)(64 - __builtin_clzll((unsigned long long)(size - 1))) -
         RC_ALLOC_MIN_SHIFT;
}

void *rc_alloc(size_t size) {
  if (size == 0)
    size = 1;
  if (size > RC_ALLOC_MAX_SMALL)
    return rc_map_pages(rc_page_round(size)); /* fresh pages are zero */
  unsigned cls = rc_size_class(size);
  size_t class_size = (size_t)1 << (cls + RC_ALLOC_MIN_SHIFT);
  void *result;
  rc_alloc_lock();
  rc_free_block *block = g_free_lists[cls];
  if (block) {
    g_free_lists[cls] = block->next;
    result = block;
  } else {
    if ((size_t)(g_slab_end - g_slab_cursor) < class_size) {
      /* The tail of the old slab is abandoned; at most 64 KiB per MiB. */
      g_slab_cursor = rc_map_pages(RC_ALLOC_SLAB_SIZE);
      g_slab_end = g_slab_cursor + RC_ALLOC_SLAB_SIZE;
    }
    result = g_slab_cursor;
    g_slab_cursor += class_size;
  }
  rc_alloc_unlock();
  /* Recycled blocks hold old data; slab memory is fresh zero pages. */
  if (block)
    memset(result, 0, class_size);
  return result;
}

void rc_free(void *p, size_t size) {
  if (!p)
    return;
  if (size == 0)
    size = 1;
  if (size > RC_ALLOC_MAX_SMALL) {
    rc_raw_syscall(SYS_munmap, (long)p, (long)rc_page_round(size), 0, 0, 0, 0);
    rc_reservations_add(-(long)rc_page_round(size));
    return;
  }
  unsigned cls = rc_size_class(size);
  rc_free_block *block = p;
  rc_alloc_lock();
  block->next = g_free_lists[cls];
  g_free_lists[cls] = block;
  rc_alloc_unlock();
}

void *rc_realloc(void *p, size_t old_size, size_t new_size) {
  if (!p)
    return rc_alloc(new_size);
  /* Same class (or same page count for big blocks): nothing moves, but the
   * grown part must read as zero like fresh rc_alloc memory. */
  bool same_small = old_size <= RC_ALLOC_MAX_SMALL &&
                    new_size <= RC_ALLOC_MAX_SMALL && old_size && new_size &&
                    rc_size_class(old_size) == rc_size_class(new_size);
  bool same_big = old_size > RC_ALLOC_MAX_SMALL &&
                  new_size > RC_ALLOC_MAX_SMALL &&
                  rc_page_round(old_size) == rc_page_round(new_size);
  if (same_small || same_big) {
    if (new_size > old_size)
      memset((char *)p + old_size, 0, new_size - old_size);
    return p;
  }
  void *q = rc_alloc(new_size);
  memcpy(q, p, old_size < new_size ? old_size : new_size);
  rc_free(p, old_size);
  return q;
}

char *rc_strdup(const char *s) {
  if (!s)
    return 0;
  size_t n = strlen(s) + 1;
  char *copy = rc_alloc(n);
  memcpy(copy, s, n);
  return copy;
}
