/* detect/heap_blocks.c — the registry of live heap blocks (size,
 * allocating thread, allocation site and stack) and the history of freed
 * ones, fed by the malloc interceptors (intercept/heap.c).
 *
 * Blocks are registered only when the caller holds the run token: other
 * callers (threads before registration or in their exit path, threads out for
 * real I/O, code before __racecheck_init) just get memory.
 *
 * For race detection (as in TSan): free() is a write to the whole block (to
 * the ends of a large one, rc_heap_edges), so a free racing with an earlier
 * unordered access is reported; it then leaves a
 * write mark of the free (freeing thread's epoch, free call site, stack) over
 * the block, bounded to its first RC_FREE_MARK_BYTES, so a later unordered
 * access to the freed memory is reported as a race with the free. Every
 * allocation clears the new block's shadow: a recycled address carries no
 * history, which is why reuse by a thread ordered after nothing but the
 * allocator is not a race. The last RC_FREED_HISTORY freed blocks are kept so
 * such a race can say which block it was and who freed it. Releasing memory
 * also forgets the sync objects (mutexes, atomics' clocks) inside it, so a
 * new object at a recycled address starts with no state and a new identity. */
#include "detect/heap_blocks.h"

/* libc's, not intercepted: the size of a block the registry never saw */
extern size_t malloc_usable_size(void *p);

typedef struct rc_heap_block {
  uint64_t size;
  const rc_site *site; /* __racecheck_call_site at the allocation */
  rc_stack_id stack;
  rc_tid tid;
} rc_heap_block;

static rc_map g_heap_blocks; /* block address → rc_heap_block */
/* Set while this thread is inside the registry, so a signal handler or an
 * unexpected libc callback that allocates cannot re-enter it. */
static __thread bool rc_heap_busy __attribute__((tls_model("initial-exec")));

/* How far rc_heap_describe searches back for a block start before scanning
 * the whole registry (glibc blocks start 16-byte aligned). */
enum { RC_HEAP_ALIGN = 16, RC_HEAP_BACK_PROBES = 4096 };

/* Bounds on use-after-free tracking: only the head of a big block keeps the
 * free's mark (the rest is cleared, so freeing a huge buffer stays cheap),
 * and only the most recent frees are remembered for reports. */
enum { RC_FREE_MARK_BYTES = 4096, RC_FREED_HISTORY = 1024 };

typedef struct rc_freed_block {
  uintptr_t start;     /* 0: unused slot */
  rc_heap_block block; /* as it was when live */
  const rc_site *free_site;
  rc_stack_id free_stack;
  rc_tid free_tid;
} rc_freed_block;

/* FIFO ring: g_freed_next is the slot the next free overwrites. */
static rc_freed_block g_freed[RC_FREED_HISTORY];
static uint32_t g_freed_next;

static void rc_heap_remember_free(rc_thread *t, uintptr_t start,
                                  const rc_heap_block *b) {
  rc_freed_block *f = &g_freed[g_freed_next];
  g_freed_next = (g_freed_next + 1) % RC_FREED_HISTORY;
  f->start = start;
  f->block = *b;
  f->free_site = __racecheck_call_site;
  f->free_stack = t->current_stack;
  f->free_tid = t->tid;
}

rc_thread *rc_heap_owner(void) {
  rc_thread *t = rc_self;
  if (!t || t != g_rt.current || rc_heap_busy)
    return 0;
  return t;
}

/* A block handed to a caller without the token must not carry the mark of
 * an earlier free of the same memory, or its first instrumented use would
 * look like a use after free. The block's shadow belongs to it alone now,
 * so clearing it without the token is safe. */
void rc_heap_forget_history(void *p, size_t size) {
  if (p && !rc_heap_busy) /* no shadow yet: a cheap no-op */
    rc_shadow_clear((uintptr_t)p, size);
}

static void rc_heap_register(rc_thread *t, void *p, size_t size) {
  if (!p)
    return;
  rc_heap_busy = true;
  rc_shadow_clear((uintptr_t)p, size); /* drop history of an unseen free */
  void **slot = rc_map_insert(&g_heap_blocks, (uintptr_t)p);
  rc_heap_block *b = *slot;
  if (!b)
    b = *slot = rc_alloc(sizeof *b);
  b->size = size;
  b->site = __racecheck_call_site;
  b->stack = t->current_stack;
  b->tid = t->tid;
  rc_heap_busy = false;
}

/* Ends a registered block's life: the free is a write to all of it (checked
 * against earlier accesses), then the block's history is replaced by the mark
 * of the free and the block moves from the registry to the freed history
 * (unless `unmapped`: the memory goes back to the kernel). False when the
 * block is not registered. */
typedef struct rc_free_check {
  rc_thread *t;
  const rc_site *site;
  uint64_t size; /* of the whole block, as reports say */
} rc_free_check;

static void rc_heap_check_part(uintptr_t addr, uint64_t bytes, void *arg) {
  const rc_free_check *c = arg;
  rc_shadow_check_free(c->t, addr, bytes, c->size, c->site);
}

static bool rc_heap_release(rc_thread *t, void *p, bool unmapped) {
  void **slot = rc_map_find(&g_heap_blocks, (uintptr_t)p);
  if (!slot)
    return false;
  rc_heap_busy = true;
  rc_heap_block *b = *slot;
  const rc_site *free_site = __racecheck_call_site;
  if (b->size) {
    rc_free_check check = {t, free_site, b->size};
    rc_heap_edges((uintptr_t)p, b->size, rc_heap_check_part, &check);
  }
  rc_shadow_clear((uintptr_t)p, b->size);
  uint64_t mark = b->size < RC_FREE_MARK_BYTES ? b->size : RC_FREE_MARK_BYTES;
  /* Unmapped memory may come back as anything (a file mapping): neither a
   * mark nor a "freed heap block" description would be true of it then. */
  if (!unmapped) {
    if (mark)
      rc_shadow_access(t, (uintptr_t)p, (uint32_t)mark, true, false, free_site);
    rc_heap_remember_free(t, (uintptr_t)p, b);
  }
  rc_sync_free_range((uintptr_t)p, b->size);
  rc_map_erase(&g_heap_blocks, (uintptr_t)p);
  rc_free(b, sizeof *b);
  rc_heap_busy = false;
  return true;
}

/* The token holder releases a block it never registered (allocated without
 * the token): no history to check, but sync objects the program used inside
 * it must still be forgotten. glibc knows the block's size. */
static void rc_heap_release_unregistered(void *p) {
  rc_heap_busy = true;
  rc_sync_free_range((uintptr_t)p, malloc_usable_size(p));
  rc_heap_busy = false;
}

void rc_heap_allocated(void *p, size_t size) {
  rc_thread *t = rc_heap_owner();
  if (t)
    rc_heap_register(t, p, size);
  else
    rc_heap_forget_history(p, size);
}

void rc_heap_freed(rc_thread *t, void *p, bool unmapped) {
  if (!rc_heap_release(t, p, unmapped))
    rc_heap_release_unregistered(p);
}

rc_heap_realloc rc_heap_before_realloc(void *p) {
  rc_heap_realloc before = {false, 0, 0};
  void **slot = rc_map_find(&g_heap_blocks, (uintptr_t)p);
  if (slot) {
    before.registered = true;
    before.old_size = ((rc_heap_block *)*slot)->size;
  } else {
    /* Read before the call: if the block moves, the old one is gone. */
    before.unregistered_size = malloc_usable_size(p);
  }
  return before;
}

/* A registered block grown or shrunk in place: the kept bytes keep their
 * history. */
static void rc_heap_resized(void *p, uint64_t old_size, size_t size) {
  rc_heap_busy = true;
  if (size < old_size) {
    rc_shadow_clear((uintptr_t)p + size, old_size - size);
    rc_sync_free_range((uintptr_t)p + size, old_size - size);
  } else {
    rc_shadow_clear((uintptr_t)p + old_size, size - old_size);
  }
  rc_heap_block *b = *rc_map_find(&g_heap_blocks, (uintptr_t)p);
  b->size = size;
  rc_heap_busy = false;
}

void rc_heap_after_realloc(rc_thread *t, void *p, void *q, size_t size,
                           const rc_heap_realloc *before, bool unmapped) {
  if (before->registered && q != p) {
    rc_heap_release(t, p, unmapped); /* old memory is gone */
    rc_heap_register(t, q, size);
  } else if (before->registered) {
    rc_heap_resized(p, before->old_size, size);
  } else {
    if (q != p) {
      rc_heap_busy = true;
      rc_sync_free_range((uintptr_t)p, before->unregistered_size);
      rc_heap_busy = false;
    }
    rc_heap_register(t, q, size);
  }
}

static void rc_heap_fill(uintptr_t start, const rc_heap_block *b,
                         uintptr_t addr, rc_variable *out) {
  out->kind = RC_VAR_HEAP;
  out->offset = addr - start;
  out->size = b->size;
  out->site = b->site;
  out->stack = b->stack;
  out->tid = b->tid;
}

bool rc_heap_describe_freed(uintptr_t addr, rc_variable *out) {
  /* Newest first: freed memory may have been handed out and freed again. */
  for (uint32_t i = 1; i <= RC_FREED_HISTORY; i++) {
    const rc_freed_block *f =
        &g_freed[(g_freed_next + RC_FREED_HISTORY - i) % RC_FREED_HISTORY];
    if (!f->start)
      break; /* the ring has not wrapped yet: older slots are unused */
    if (addr >= f->start && addr - f->start < f->block.size) {
      rc_heap_fill(f->start, &f->block, addr, out);
      out->freed = true;
      out->free_site = f->free_site;
      out->free_stack = f->free_stack;
      out->free_tid = f->free_tid;
      return true;
    }
  }
  return false;
}

bool rc_heap_describe(uintptr_t addr, rc_variable *out) {
  /* Nearby starts first: most raced-on blocks are small. */
  uintptr_t start = addr & ~(uintptr_t)(RC_HEAP_ALIGN - 1);
  for (int i = 0; i < RC_HEAP_BACK_PROBES && start; i++) {
    void **slot = rc_map_find(&g_heap_blocks, start);
    if (slot) {
      const rc_heap_block *b = *slot;
      if (addr - start < b->size) {
        rc_heap_fill(start, b, addr, out);
        return true;
      }
      return false; /* blocks do not nest: the closest start decides */
    }
    start -= RC_HEAP_ALIGN;
  }
  /* A large block: scan the registry for the closest start below addr. */
  uintptr_t best = 0;
  const rc_heap_block *best_block = 0;
  for (size_t i = 0; i < g_heap_blocks.cap; i++) {
    uintptr_t s = (uintptr_t)g_heap_blocks.keys[i];
    if (s && s <= addr && s >= best) {
      best = s;
      best_block = g_heap_blocks.values[i];
    }
  }
  if (best_block && addr - best < best_block->size) {
    rc_heap_fill(best, best_block, addr, out);
    return true;
  }
  return false;
}
