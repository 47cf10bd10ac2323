/* reservations.c — the runtime's share of the address space and the
 * program's RLIMIT_AS on top of it (core/reservations.h). */
#include "core/reservations.h"

#include <stdint.h>

static long g_reserved_bytes; /* atomic: mappings happen on any thread */
static struct rlimit g_program_limit;
static int g_program_limit_set;

/* Later threads' alternate signal stacks and allocator slabs, beyond what
 * the runtime had mapped when the program set its limit. */
#define RC_RESERVATION_ROOM ((rlim_t)256 << 20)

void rc_reservations_add(long bytes) {
  __atomic_add_fetch(&g_reserved_bytes, bytes, __ATOMIC_RELAXED);
}

static rlim_t widen(rlim_t limit, rlim_t extra) {
  if (limit == RLIM_INFINITY || limit > RLIM_INFINITY - extra)
    return RLIM_INFINITY;
  return limit + extra;
}

struct rlimit rc_address_limit_for(const struct rlimit *wanted,
                                   const struct rlimit *current,
                                   size_t shadow_per_mib) {
  long reserved = __atomic_load_n(&g_reserved_bytes, __ATOMIC_RELAXED);
  rlim_t budget =
      wanted->rlim_max < wanted->rlim_cur ? wanted->rlim_cur : wanted->rlim_max;
  rlim_t shadow = budget == RLIM_INFINITY || budget >> 40
                      ? RLIM_INFINITY
                      : (budget >> 20) * shadow_per_mib;
  rlim_t extra = widen(widen((rlim_t)(reserved > 0 ? reserved : 0), shadow),
                       RC_RESERVATION_ROOM);
  struct rlimit kernel = {widen(wanted->rlim_cur, extra),
                          widen(wanted->rlim_max, extra)};
  /* An unprivileged process cannot raise its hard limit: stay under it. */
  if (current->rlim_max != RLIM_INFINITY &&
      kernel.rlim_max > current->rlim_max &&
      wanted->rlim_max <= current->rlim_max)
    kernel.rlim_max = current->rlim_max;
  if (kernel.rlim_cur > kernel.rlim_max)
    kernel.rlim_cur = kernel.rlim_max;
  return kernel;
}

void rc_address_limit_remember(const struct rlimit *wanted) {
  g_program_limit = *wanted;
  g_program_limit_set = 1;
}

int rc_address_limit_recall(struct rlimit *out) {
  if (g_program_limit_set)
    *out = g_program_limit;
  return g_program_limit_set;
}
