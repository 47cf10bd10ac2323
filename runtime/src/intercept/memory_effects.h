/* memory_effects.h — the accesses libc calls make to the caller's memory
 * (the buffer a read() fills, the string strlen scans), checked like the
 * instrumented accesses of the caller at its call site. Defined in access.c;
 * used by the interceptors. Each does nothing on a thread that does not
 * hold the token (unregistered, before init, after finalization) and for
 * zero bytes. They are no scheduling point: the interceptor's own model
 * call is one, or the call has none (a pure function of memory). */
#ifndef RACECHECK_INTERCEPT_MEMORY_EFFECTS_H
#define RACECHECK_INTERCEPT_MEMORY_EFFECTS_H

#include "core/runtime.h"

#include <sys/uio.h>

void rc_libc_read_range(const void *addr, unsigned long size,
                        const rc_site *site);
void rc_libc_write_range(void *addr, unsigned long size, const rc_site *site);
/* The first `bytes` bytes of an I/O vector, in order (readv's and recvmsg's
 * result, writev's and sendmsg's length). */
void rc_libc_iov_access(const struct iovec *iov, unsigned long count,
                        unsigned long bytes, bool write, const rc_site *site);
/* What a lock, unlock, wait, signal or post checks of its object: a read of
 * its first byte, as ThreadSanitizer checks a mutex (an atomic-like 1-byte
 * read), not of every byte: it meets every write that races with the
 * operation (init, destroy, memset, free all write the first byte), and
 * the same-epoch test settles it inline when the thread checked the object
 * since its last release (the unlock after a lock). Init and destroy still
 * write the whole object. */
void rc_libc_sync_object_read(const void *addr, const rc_site *site);

#endif /* RACECHECK_INTERCEPT_MEMORY_EFFECTS_H */
