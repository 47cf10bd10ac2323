/* fd_locations.c — file descriptors as locations of the race check (as
 * ThreadSanitizer's fd table, tsan_fd.cpp): each tracked descriptor number
 * owns 8 bytes of a reserved address range, its pseudo-address, whose shadow
 * cells the ordinary memory check keeps. The fd model (sync/fd.c) writes it
 * when a descriptor is closed or replaced and reads it for I/O, so a close
 * racing with a read is a data race reported on "file descriptor N" with
 * where that descriptor was created, which this file remembers.
 *
 * The range is reserved PROT_NONE and never touched: only its shadow is, so
 * it costs address space, not memory, and no program object can lie there.
 * Descriptor numbers are deterministic in the serialized run, so reports may
 * print them. */
#include "detect/shadow.h"

#include <sys/mman.h>
#include <sys/syscall.h>

/* Descriptors 0 .. RC_FD_TRACKED-1 are tracked: far above the usual
 * RLIMIT_NOFILE (1024 soft, 1<<20 hard by default on Linux). */
#define RC_FD_TRACKED (1 << 20)
#define RC_FD_CELL 8 /* bytes of pseudo-address per descriptor */

typedef struct rc_fd_location {
  const rc_site *site;
  rc_stack_id stack;
  rc_tid tid; /* UINT32_MAX: created where racecheck did not see it */
  uint8_t kind;
  bool set; /* false: never reset (zeroed) */
} rc_fd_location;

static uintptr_t fd_base;            /* the reserved range; 0: not yet */
static bool fd_reserve_failed;       /* never try twice */
static rc_fd_location *fd_locations; /* by descriptor number */
static uint32_t fd_locations_cap;

uintptr_t rc_fd_address(int fd) {
  if (fd < 0 || fd >= RC_FD_TRACKED)
    return 0;
  if (RC_UNLIKELY(!fd_base)) {
    if (fd_reserve_failed)
      return 0;
    long r =
        rc_raw_syscall(SYS_mmap, 0, (long)RC_FD_TRACKED * RC_FD_CELL, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r < 0 && r > -4096) {
      fd_reserve_failed = true;
      return 0;
    }
    fd_base = (uintptr_t)r;
  }
  return fd_base + (uintptr_t)fd * RC_FD_CELL;
}

void rc_fd_location_reset(int fd, enum rc_record_fd_kind kind, rc_tid tid,
                          const rc_site *site, rc_stack_id stack) {
  uintptr_t addr = rc_fd_address(fd);
  if (!addr)
    return;
  if ((uint32_t)fd >= fd_locations_cap) {
    uint32_t cap = fd_locations_cap ? fd_locations_cap : 64;
    while (cap <= (uint32_t)fd)
      cap *= 2;
    fd_locations =
        rc_realloc(fd_locations, fd_locations_cap * sizeof *fd_locations,
                   cap * sizeof *fd_locations);
    fd_locations_cap = cap;
  }
  fd_locations[fd] = (rc_fd_location){site, stack, tid, (uint8_t)kind, true};
  rc_shadow_clear(addr, RC_FD_CELL);
}

bool rc_fd_describe(uintptr_t addr, rc_variable *out) {
  if (!fd_base || addr < fd_base ||
      addr >= fd_base + (uintptr_t)RC_FD_TRACKED * RC_FD_CELL)
    return false;
  uint32_t fd = (uint32_t)((addr - fd_base) / RC_FD_CELL);
  out->kind = RC_VAR_FD;
  out->fd = (int32_t)fd;
  out->offset = 0;
  out->size = RC_FD_CELL;
  out->tid = UINT32_MAX;
  out->fd_kind = RC_RECORD_FD_UNKNOWN;
  if (fd < fd_locations_cap && fd_locations[fd].set) {
    const rc_fd_location *l = &fd_locations[fd];
    out->fd_kind = (enum rc_record_fd_kind)l->kind;
    out->tid = l->tid;
    out->site = l->site;
    out->stack = l->stack;
  }
  return true;
}
