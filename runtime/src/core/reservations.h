/* core/reservations.h — the address space the runtime maps for itself
 * (shadow, its allocator, alternate signal stacks), counted so that a
 * program's RLIMIT_AS stays the program's own budget: the kernel gets the
 * program's limit plus the runtime's share (intercept/interceptors_rlimit.c),
 * and the program reads back the limit it set. */
#ifndef RACECHECK_RT_RESERVATIONS_H
#define RACECHECK_RT_RESERVATIONS_H

#include <stddef.h>
#include <sys/resource.h>

/* Counts `bytes` more (or, negative, fewer) bytes mapped by the runtime. */
void rc_reservations_add(long bytes);

/* The limits to give the kernel for the program's `wanted` RLIMIT_AS, given
 * `current` (the kernel's, so the hard limit is never raised): the
 * runtime's mappings so far, the shadow the program's budget can need
 * (`shadow_per_mib` bytes per MiB of it) and room for later threads' own
 * mappings come on top. */
struct rlimit rc_address_limit_for(const struct rlimit *wanted,
                                   const struct rlimit *current,
                                   size_t shadow_per_mib);

/* The program's last RLIMIT_AS, as it set it; false when it set none. */
void rc_address_limit_remember(const struct rlimit *wanted);
int rc_address_limit_recall(struct rlimit *out);

#endif
