/* heap.c — the malloc family interceptors. Each forwards to glibc's
 * exported __libc_* entry point (no dlsym, so they work during early libc
 * initialisation and cannot recurse) and tells the registry of heap blocks
 * (detect/heap_blocks.c) what happened; an allocation also writes its
 * block. Allocation is not a scheduling point. malloc_usable_size stays libc's.
 */
#include "detect/heap_blocks.h"
#include "intercept/memory_effects.h"

#include <errno.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

/* Whether glibc served the block with its own mmap (the IS_MMAPPED bit of
 * the chunk header in the word before the block; glibc's layout, stable since
 * ptmalloc2). Such memory is unmapped by the free and the addresses may come
 * back from a plain mmap, which the runtime does not see: the free must not
 * leave a mark there. Read it before the block is given back to libc. */
static bool chunk_is_mmapped(const void *p) {
  enum { RC_GLIBC_IS_MMAPPED = 0x2 };
  return (((const size_t *)p)[-1] & RC_GLIBC_IS_MMAPPED) != 0;
}

/* A new block is registered, and the allocation writes all of it, as
 * ThreadSanitizer's allocator has it: a thread that uses the block without
 * being ordered after the allocation races with it (one still using memory
 * that was freed and handed out again, or a block published without
 * synchronisation). The write is checked against nothing: registering
 * cleared the block's history. Only for an allocation the program's code
 * asked for (a call site is recorded: its own malloc, or operator new or
 * fopen it called), not libc's own at start-up or after a return. */
static void write_part(uintptr_t addr, uint64_t bytes, void *site) {
  rc_libc_write_range((void *)addr, bytes, site);
}

/* The write of a new block, bounded for a large one (rc_heap_edges). */
static void write_block(void *p, size_t size) {
  rc_heap_edges((uintptr_t)p, size, write_part, (void *)__racecheck_call_site);
}

static void *allocated(void *p, size_t size) {
  rc_heap_allocated(p, size);
  if (p && __racecheck_call_site)
    write_block(p, size);
  return p;
}

RC_INTERCEPT void *malloc(size_t size) {
  return allocated(__libc_malloc(size), size);
}

RC_INTERCEPT void *calloc(size_t count, size_t size) {
  /* no overflow when libc succeeded */
  return allocated(__libc_calloc(count, size), count * size);
}

RC_INTERCEPT void free(void *p) {
  if (!p)
    return;
  rc_thread *t = rc_heap_owner();
  if (t)
    rc_heap_freed(t, p, chunk_is_mmapped(p));
  __libc_free(p);
}

RC_INTERCEPT void *realloc(void *p, size_t size) {
  rc_thread *t = rc_heap_owner();
  if (!t) {
    void *q = __libc_realloc(p, size);
    if (q && q != p)
      rc_heap_forget_history(q, size);
    return q;
  }
  if (!p)
    return malloc(size);
  bool unmapped = chunk_is_mmapped(p); /* if it moves */
  if (size == 0) {
    /* glibc frees the block and returns null */
    rc_heap_freed(t, p, unmapped);
    return __libc_realloc(p, size);
  }
  rc_heap_realloc before = rc_heap_before_realloc(p);
  void *q = __libc_realloc(p, size);
  if (q) { /* else failed: the old block is untouched */
    rc_heap_after_realloc(t, p, q, size, &before, unmapped);
    /* It copies into the new block (TSan's realloc is always a new one). */
    if (__racecheck_call_site)
      write_block(q, size);
  }
  return q;
}

/* glibc's own reallocarray calls its internal realloc, which would bypass
 * the registry, so it is intercepted too. */
RC_INTERCEPT void *reallocarray(void *p, size_t count, size_t size) {
  size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return 0;
  }
  return realloc(p, bytes);
}

static bool is_power_of_two(size_t x) { return x && !(x & (x - 1)); }

RC_INTERCEPT int posix_memalign(void **out, size_t alignment, size_t size) {
  if (!is_power_of_two(alignment) || alignment % sizeof(void *))
    return EINVAL;
  void *p = __libc_memalign(alignment, size);
  if (!p)
    return ENOMEM;
  *out = allocated(p, size);
  return 0;
}

RC_INTERCEPT void *aligned_alloc(size_t alignment, size_t size) {
  if (!is_power_of_two(alignment)) {
    errno = EINVAL;
    return 0;
  }
  return allocated(__libc_memalign(alignment, size), size);
}

RC_INTERCEPT void *memalign(size_t alignment, size_t size) {
  return allocated(__libc_memalign(alignment, size), size);
}

RC_INTERCEPT void *valloc(size_t size) {
  return allocated(__libc_valloc(size), size);
}

RC_INTERCEPT void *pvalloc(size_t size) {
  return allocated(__libc_pvalloc(size), size);
}
