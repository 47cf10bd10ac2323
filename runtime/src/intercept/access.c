/* access.c — ABI entry points for plain memory accesses and for function
 * entry/exit, and the definition of the call-site TLS slot.
 *
 * These run on every instrumented load, store and call, so the fast path is:
 * one load of the token holder, one TLS compare, the event budget, then the
 * inline same-epoch test on the granule's hot shadow cells (shadow.h); only a
 * miss calls into shadow.c. Threads that do not hold the token (not registered
 * yet, or the runtime is not initialised) are ignored rather than
 * mis-attributed. */
#include "record/schedule.h"
#include "detect/shadow.h"
#include "detect/plain_spin.h"
#include "intercept/memory_effects.h"

RC_INTERFACE __thread const struct __racecheck_site *__racecheck_call_site
    __attribute__((tls_model("initial-exec")));

/* The token holder, if it is the calling thread; null otherwise (after a
 * thread whose token the watchdog took came back: itself). */
static inline __attribute__((always_inline)) rc_thread *rc_access_thread(void) {
  rc_thread *t = g_rt.current;
  if (RC_UNLIKELY(!t) || RC_UNLIKELY(t != rc_self))
    return rc_token_not_held();
  return t;
}

/* The access whose event ran out the budget: the scheduling point comes
 * first (the access happens after this call returns, so it must be checked
 * against what other threads did until then), then the full check. Out of
 * line so that the fast path below saves no registers. */
static __attribute__((noinline)) void
rc_plain_access_at_point(rc_thread *t, uintptr_t addr, uint32_t size,
                         bool write, const rc_site *site) {
  rc_preempt_point();
  rc_shadow_access(t, addr, size, write, false, site);
}

/* The part of an access past the same-epoch test: out of line, and reached
 * by a tail call, so that the inlined fast path below needs no callee-saved
 * registers and no stack frame. */
static __attribute__((noinline)) void
rc_plain_access_miss(rc_thread *t, uintptr_t addr, uint32_t size, bool write,
                     const rc_site *site) {
  /* A shared location's access is a scheduling point before it happens
   * (option access_points). Only here, past the same-epoch test: a
   * thread's repeated accesses in one epoch add none, and a location no
   * other thread touched costs the test alone. */
  if (RC_UNLIKELY(rc_access_points_active) &&
      rc_shadow_shared(t, addr, size, write))
    rc_shared_access_point(t, (const void *)addr, site, write);
  rc_shadow_access(t, addr, size, write, false, site);
}

/* An access by the token holder once the spin watch has seen it: the event,
 * then the same-epoch test, with everything past it out of line. */
static inline __attribute__((always_inline)) void
rc_plain_access_counted(rc_thread *t, const void *addr, uint32_t size,
                        bool write, const rc_site *site) {
  t->last_site = site;
  t->plain_writes += write; /* a constant per entry point once inlined */
  /* rc_count_event, with the scheduling point out of line. */
  if (RC_UNLIKELY(--t->budget == 0)) {
    rc_plain_access_at_point(t, (uintptr_t)addr, size, write, site);
    return;
  }
  if (RC_LIKELY(rc_shadow_seen_this_epoch(t, (uintptr_t)addr, size, write)))
    return;
  rc_plain_access_miss(t, (uintptr_t)addr, size, write, site);
}

/* An access the inline path below does not take: another thread holds the
 * token, or the spin watch wants to see it. Out of line so that every call
 * left in the inline path is a tail call. */
static __attribute__((noinline)) void
rc_plain_access_out_of_line(const void *addr, uint32_t size, bool write,
                            const rc_site *site) {
  rc_thread *t = rc_access_thread();
  if (!t)
    return;
  if (RC_UNLIKELY(rc_plain_spin_watched == t) ||
      RC_UNLIKELY(t->budget <= RC_SPIN_SAMPLE))
    rc_plain_spin_access(t, addr, size, write, site);
  rc_plain_access_counted(t, addr, size, write, site);
}

/* Every instrumented load and store. The common case needs no stack frame
 * and no callee-saved register: each call it can make is its last step. */
static inline __attribute__((always_inline)) void
rc_plain_access(const void *addr, uint32_t size, bool write,
                const rc_site *site) {
  rc_thread *t = g_rt.current;
  if (RC_UNLIKELY(!t) || RC_UNLIKELY(t != rc_self) ||
      RC_UNLIKELY(rc_plain_spin_watched == t) ||
      RC_UNLIKELY(t->budget <= RC_SPIN_SAMPLE)) {
    rc_plain_access_out_of_line(addr, size, write, site);
    return;
  }
  rc_plain_access_counted(t, addr, size, write, site);
}

#define RC_DEFINE_SIZED_ACCESS(n)                                              \
  RC_INTERFACE void __racecheck_read##n(const void *addr,                      \
                                        const rc_site *site) {                 \
    rc_plain_access(addr, n, false, site);                                     \
  }                                                                            \
  RC_INTERFACE void __racecheck_write##n(void *addr, const rc_site *site) {    \
    rc_plain_access(addr, n, true, site);                                      \
  }

RC_DEFINE_SIZED_ACCESS(1)
RC_DEFINE_SIZED_ACCESS(2)
RC_DEFINE_SIZED_ACCESS(4)
RC_DEFINE_SIZED_ACCESS(8)
RC_DEFINE_SIZED_ACCESS(16)

/* Only the token holder reads *addr: another thread's store cannot be in
 * progress then, so the comparison sees the value the program would. A
 * same-value store stays a read, so it still races with another thread's
 * store of a different value. */
RC_INTERFACE void __racecheck_vptr_update(void **addr, void *new_value,
                                          const rc_site *site) {
  rc_thread *t = rc_access_thread();
  if (!t)
    return;
  bool changes = *(void *volatile *)addr != new_value;
  rc_plain_access(addr, sizeof(void *), changes, site);
}

/* Ranges (memcpy, aggregates) may exceed the 32-bit size the shadow takes. */
static void rc_range_pieces(rc_thread *t, const void *addr, unsigned long size,
                            bool write, const rc_site *site) {
  uintptr_t p = (uintptr_t)addr;
  const unsigned long piece = 1ul << 30;
  while (size) {
    uint32_t n = (uint32_t)(size < piece ? size : piece);
    rc_shadow_access(t, p, n, write, false, site);
    p += n;
    size -= n;
  }
}

static void rc_range_access(const void *addr, unsigned long size, bool write,
                            const rc_site *site) {
  rc_thread *t = rc_access_thread();
  if (!t || size == 0)
    return;
  t->last_site = site;
  t->plain_writes += write;
  if (RC_UNLIKELY(rc_plain_spin_watched == t) && write)
    rc_plain_spin_access(t, addr, (uint32_t)size, true, site);
  rc_count_event(t);
  rc_range_pieces(t, addr, size, write, site);
}

/* last_site is left alone: a libc call's access is no race-directed point
 * (race_points.c stops only at the instrumented access itself). */
static void rc_range_shadow(rc_thread *t, const void *addr, unsigned long size,
                            bool write, const rc_site *site) {
  if (RC_UNLIKELY(rc_plain_spin_watched == t) && write)
    rc_plain_spin_access(t, addr, (uint32_t)size, true, site);
  t->plain_writes += write;
  rc_range_pieces(t, addr, size, write, site);
}

/* memory_effects.h: no event of their own (see there). */
void rc_libc_read_range(const void *addr, unsigned long size,
                        const rc_site *site) {
  rc_thread *t = rc_access_thread();
  if (t && size)
    rc_range_shadow(t, addr, size, false, site);
}

void rc_libc_sync_object_read(const void *addr, const rc_site *site) {
  rc_thread *t = rc_access_thread();
  if (t && !rc_shadow_seen_this_epoch(t, (uintptr_t)addr, 1, false))
    rc_shadow_access(t, (uintptr_t)addr, 1, false, false, site);
}

void rc_libc_write_range(void *addr, unsigned long size, const rc_site *site) {
  rc_thread *t = rc_access_thread();
  if (t && size)
    rc_range_shadow(t, addr, size, true, site);
}

void rc_libc_iov_access(const struct iovec *iov, unsigned long count,
                        unsigned long bytes, bool write, const rc_site *site) {
  rc_thread *t = rc_access_thread();
  if (!t || !iov)
    return;
  for (unsigned long i = 0; i < count && bytes; i++) {
    unsigned long n = iov[i].iov_len < bytes ? iov[i].iov_len : bytes;
    if (n)
      rc_range_shadow(t, iov[i].iov_base, n, write, site);
    bytes -= n;
  }
}

RC_INTERFACE void __racecheck_read_range(const void *addr, unsigned long size,
                                         const rc_site *site) {
  rc_range_access(addr, size, false, site);
}

RC_INTERFACE void __racecheck_write_range(void *addr, unsigned long size,
                                          const rc_site *site) {
  rc_range_access(addr, size, true, site);
}

/* One row of a box: `count` elements of `size` bytes, `stride` bytes apart
 * (stride > 0). Touching or overlapping elements form one span; sparser
 * ones are gathered block by block (shadow.c), so a row of every other
 * byte costs a check per granule, not per element. */
static void rc_box_row(rc_thread *t, uintptr_t p, unsigned long count,
                       uint64_t stride, uint32_t size, bool write,
                       const rc_site *site) {
  if (stride <= size)
    rc_shadow_access_span(t, p, stride * (count - 1) + size, size, write, site);
  else
    rc_shadow_access_strided(t, p, count, stride, size, write, site);
}

/* A box check (interface.h): every address the loop nest will touch, checked
 * now, with the clock the whole nest runs under, row by row along the
 * densest dimension. Counts as one event and is one race-directed point:
 * the nest has no scheduling point of its own, and its trip counts bound
 * it. */
static void rc_box_access(const void *addr, unsigned long size,
                          unsigned long count0, long stride0,
                          unsigned long count1, long stride1,
                          unsigned long count2, long stride2, bool write,
                          const rc_site *site) {
  rc_thread *t = rc_access_thread();
  if (!t || size == 0 || size > UINT32_MAX || !count0 || !count1 || !count2)
    return;
  t->last_site = site;
  t->plain_writes += write;
  rc_count_event(t);
  if (RC_UNLIKELY(rc_race_points_active))
    rc_race_access_point(t, addr, site);
  unsigned long count[3] = {count0, count1, count2};
  uint64_t stride[3];
  long signed_stride[3] = {stride0, stride1, stride2};
  uintptr_t base = (uintptr_t)addr;
  /* Walk every dimension upwards: the same addresses, in a fixed order. */
  for (int d = 0; d < 3; d++) {
    bool downwards = signed_stride[d] < 0;
    stride[d] =
        downwards ? -(uint64_t)signed_stride[d] : (uint64_t)signed_stride[d];
    if (downwards)
      base -= stride[d] * (count[d] - 1);
    if (stride[d] == 0) /* a level that only says whether the nest runs */
      count[d] = 1;
  }
  /* Rows along the densest dimension that repeats (dimension 0 after the
   * swap); a single element is a row of one. */
  int row = 0;
  for (int d = 1; d < 3; d++)
    if (count[d] > 1 && (count[row] == 1 || stride[d] < stride[row]))
      row = d;
  unsigned long c = count[row];
  uint64_t s = stride[row];
  count[row] = count[0], stride[row] = stride[0];
  count[0] = c, stride[0] = s;
  if (stride[0] == 0) /* every element of the row at one address */
    count[0] = 1;
  for (unsigned long i2 = 0; i2 < count[2]; i2++)
    for (unsigned long i1 = 0; i1 < count[1]; i1++)
      rc_box_row(t, base + stride[2] * i2 + stride[1] * i1, count[0],
                 count[0] == 1 ? size : stride[0], (uint32_t)size, write, site);
}

RC_INTERFACE void __racecheck_read_box(const void *addr, unsigned long size,
                                       unsigned long count0, long stride0,
                                       unsigned long count1, long stride1,
                                       unsigned long count2, long stride2,
                                       const rc_site *site) {
  rc_box_access(addr, size, count0, stride0, count1, stride1, count2, stride2,
                false, site);
}

RC_INTERFACE void __racecheck_write_box(void *addr, unsigned long size,
                                        unsigned long count0, long stride0,
                                        unsigned long count1, long stride1,
                                        unsigned long count2, long stride2,
                                        const rc_site *site) {
  rc_box_access(addr, size, count0, stride0, count1, stride1, count2, stride2,
                true, site);
}

RC_INTERFACE void __racecheck_func_entry(const rc_site *function) {
  /* Consume the call site so a later callback from uninstrumented code (which
   * sets none) shows "called from uninstrumented code", not a stale caller. */
  const rc_site *call_site = __racecheck_call_site;
  __racecheck_call_site = 0;
  rc_thread *t = rc_access_thread();
  if (!t)
    return;
  if (RC_UNLIKELY(t->depth == t->stack_cap)) {
    uint32_t cap = t->stack_cap ? t->stack_cap * 2 : 64;
    t->stack = rc_realloc(t->stack, t->stack_cap * sizeof *t->stack,
                          cap * sizeof *t->stack);
    t->frame_sp = rc_realloc(t->frame_sp, t->stack_cap * sizeof *t->frame_sp,
                             cap * sizeof *t->frame_sp);
    t->stack_cap = cap;
  }
  rc_stack_id node = rc_stack_push(t->current_stack, function, call_site);
  t->frame_sp[t->depth] = (uintptr_t)__builtin_frame_address(0);
  t->stack[t->depth++] = node;
  t->current_stack = node;
  t->last_site = function;
  rc_count_event(t);
}

RC_INTERFACE void __racecheck_func_exit(void) {
  /* A call site stored before a call into uninstrumented code (libc,
   * __cxa_atexit in a C++ static initialiser) is never consumed. Left in the
   * slot, it would become the "call site" of the next instrumented function
   * that uninstrumented code calls after this function returned, e.g. main
   * entered from __libc_start_main after the static initialisers ran. Calls
   * into uninstrumented code made by this function are over once it returns,
   * so drop it here, even on threads the runtime does not track. */
  __racecheck_call_site = 0;
  rc_thread *t = rc_access_thread();
  if (!t || t->depth == 0)
    return;
  /* Frames recorded below this hook's own frame were left by a longjmp the
   * interceptor did not see (one inside uninstrumented code): drop them
   * with the exiting frame. Entry and exit hooks have the same frame layout,
   * so the exiting frame's own record is never below this one. */
  uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
  uint32_t depth = t->depth - 1;
  while (depth && t->frame_sp[depth] < sp)
    depth--;
  t->depth = depth;
  t->current_stack = depth ? t->stack[depth - 1] : 0;
}
