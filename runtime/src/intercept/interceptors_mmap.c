/* interceptors_mmap.c — mmap, munmap, mremap and madvise: the real call,
 * then one call into the mapping model (detect/mappings.c), which empties
 * the shadow of the range and keeps the table that names mapped memory in
 * reports. Only successful calls change anything. */
#include "sched/scheduler.h"

#include <stdarg.h>
#include <sys/mman.h>

static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static void *(*real_mmap64)(void *, size_t, int, int, int, off_t);
static int (*real_munmap)(void *, size_t);
static void *(*real_mremap)(void *, size_t, size_t, int, ...);
static int (*real_madvise)(void *, size_t, int);

/* A successful mmap's range, for the model. */
static void *mapped(void *p, size_t len, int flags, int fd, off_t offset) {
  if (p != MAP_FAILED && rc_active_thread())
    rc_memory_mapped(p, len, flags, fd, (long)offset, rc_caller_site());
  return p;
}

RC_INTERCEPT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
                        off_t offset) {
  RC_REAL(real_mmap, "mmap");
  return mapped(real_mmap(addr, len, prot, flags, fd, offset), len, flags, fd,
                offset);
}

RC_INTERCEPT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
                          off_t offset) {
  RC_REAL(real_mmap64, "mmap64");
  return mapped(real_mmap64(addr, len, prot, flags, fd, offset), len, flags, fd,
                offset);
}

RC_INTERCEPT int munmap(void *addr, size_t len) {
  RC_REAL(real_munmap, "munmap");
  /* Before the real call: the model may still read what it points into. */
  if (rc_active_thread())
    rc_memory_unmapped(addr, len);
  return real_munmap(addr, len);
}

RC_INTERCEPT void *mremap(void *old_addr, size_t old_len, size_t new_len,
                          int flags, ...) {
  RC_REAL(real_mremap, "mremap");
  void *new_addr = 0;
  if (flags & MREMAP_FIXED) {
    va_list ap;
    va_start(ap, flags);
    new_addr = va_arg(ap, void *);
    va_end(ap);
  }
  void *p = real_mremap(old_addr, old_len, new_len, flags, new_addr);
  if (p != MAP_FAILED && rc_active_thread())
    rc_memory_remapped(old_addr, old_len, p, new_len);
  return p;
}

RC_INTERCEPT int madvise(void *addr, size_t len, int advice) {
  RC_REAL(real_madvise, "madvise");
  int r = real_madvise(addr, len, advice);
  if (r == 0 && (advice == MADV_DONTNEED || advice == MADV_REMOVE) &&
      rc_active_thread())
    rc_memory_discarded(addr, len);
  return r;
}
