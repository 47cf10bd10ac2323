/* detect/heap_blocks.h — the registry of live heap blocks (size, allocating
 * thread, allocation site and stack) and of the most recently freed ones,
 * which the malloc interceptors (intercept/heap.c) keep up to date and race
 * reports use to say which block an address lies in (heap_blocks.c). */
#ifndef RACECHECK_HEAP_BLOCKS_H
#define RACECHECK_HEAP_BLOCKS_H

#include "core/runtime.h"

/* A block up to RC_HEAP_WHOLE_BYTES has its allocation's write and its
 * free's check over all of it; a larger one over its first and last
 * RC_HEAP_EDGE_BYTES only, as ThreadSanitizer bounds both (its allocation
 * marks the ends of a range over 64 KiB, its free checks the first KiB): a
 * 4 GiB buffer touched sparsely would otherwise cost GiBs of shadow and a
 * walk of all of it at every malloc and free. */
enum { RC_HEAP_WHOLE_BYTES = 64 * 1024, RC_HEAP_EDGE_BYTES = 32 * 1024 };

/* Calls fn(addr, bytes) on the parts of the block [p, p + size) that its
 * allocation writes and its free checks (see RC_HEAP_WHOLE_BYTES). */
static inline void rc_heap_edges(uintptr_t p, uint64_t size,
                                 void (*fn)(uintptr_t addr, uint64_t bytes,
                                            void *arg),
                                 void *arg) {
  if (size <= RC_HEAP_WHOLE_BYTES) {
    fn(p, size, arg);
    return;
  }
  fn(p, RC_HEAP_EDGE_BYTES, arg);
  fn(p + size - RC_HEAP_EDGE_BYTES, RC_HEAP_EDGE_BYTES, arg);
}

/* The calling thread if it may update the registry (holds the token). */
rc_thread *rc_heap_owner(void);
/* A new block: registered when the caller holds the token, else its
 * shadow is only cleared (rc_heap_forget_history). */
void rc_heap_allocated(void *p, size_t size);
/* A block handed to a caller that may not register it must not carry the
 * history of an earlier free of the same memory. */
void rc_heap_forget_history(void *p, size_t size);
/* `t` (the token holder) frees `p`; `unmapped`: libc gives the memory back
 * to the kernel (no mark of the free is left then). */
void rc_heap_freed(rc_thread *t, void *p, bool unmapped);

/* realloc of a block by the token holder, around libc's call: what the
 * registry knew of the old block before, and the outcome after. */
typedef struct rc_heap_realloc {
  bool registered;
  uint64_t old_size;        /* when registered */
  size_t unregistered_size; /* libc's size when not registered */
} rc_heap_realloc;
rc_heap_realloc rc_heap_before_realloc(void *p);
/* `q` (non-null) is the block libc returned for `p`, now `size` bytes. */
void rc_heap_after_realloc(rc_thread *t, void *p, void *q, size_t size,
                           const rc_heap_realloc *before, bool unmapped);

#endif /* RACECHECK_HEAP_BLOCKS_H */
