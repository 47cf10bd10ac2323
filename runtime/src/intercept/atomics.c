/* atomics.c — C11/C++11 atomic operations and fences: each one is a
 * scheduling point, is checked against plain accesses in shadow memory, and
 * creates happens-before per its memory order on a clock kept per atomic
 * location (as TSan does; release sequences per C++20, which only RMWs
 * continue).
 *
 *  - acquire load: joins the location's clock; relaxed load: accumulates it
 *    into the thread's fence_acquire, which a later acquire fence joins;
 *  - release store: the location's clock := thread clock; a relaxed store
 *    ends the release sequence (clears it), unless a release fence came
 *    before, whose snapshot it then publishes;
 *  - RMW: read part as a load; release RMW joins into the clock, relaxed RMW
 *    leaves it (both continue the release sequence);
 *  - compare-exchange: success or failure is decided here by comparing
 *    `expected` with memory — nothing runs between this call and the
 *    operation, so the outcome is what the operation will see;
 *  - seq_cst is treated as acq_rel;
 *  - an integer RMW comes through __racecheck_atomic_int_rmw with its
 *    operation and operand, which tell the starvation detector whether it
 *    can leave the value unchanged.
 * Execution is serialized, so a run never shows weak-memory outcomes (a
 * relaxed load always reads the latest store); only the happens-before
 * edges follow the memory orders. */
#include "sched/fairness.h"
#include "detect/livelock.h"
#include "sched/scheduler.h"
#include "sched/kept_point.h"
#include "detect/starvation.h"
#include "detect/shadow.h"

static bool is_acquire(unsigned order) {
  return order == __racecheck_acquire || order == __racecheck_consume ||
         order == __racecheck_acq_rel || order == __racecheck_seq_cst;
}

static bool is_release(unsigned order) {
  return order == __racecheck_release || order == __racecheck_acq_rel ||
         order == __racecheck_seq_cst;
}

static void read_part(rc_thread *t, rc_vc *clock, unsigned order) {
  if (is_acquire(order))
    rc_hb_acquire(t, clock);
  else
    rc_vc_join(&t->fence_acquire, clock);
}

/* Fair scheduling and livelock detection watch spin loops: a load that
 * re-reads an unchanged value or a failed compare-exchange yields, and the
 * wait ending on a changed value is progress (fairness.c). */
static void watch_spin(rc_thread *t, const void *addr, unsigned size,
                       unsigned kind, bool success, const rc_site *site) {
  if (!g_rt.options.fair || size > 8)
    return;
  if (kind != __racecheck_atomic_load && kind != __racecheck_atomic_cmpxchg)
    return;
  uint64_t value = rc_load_value(addr, size);
  rc_atomic_read_kind read = kind == __racecheck_atomic_load
                                 ? RC_ATOMIC_READ_LOAD
                             : success ? RC_ATOMIC_READ_CAS_OK
                                       : RC_ATOMIC_READ_CAS_FAILED;
  if (rc_fair_atomic_read(t->tid, site, addr, value, read) == RC_SPIN_END)
    rc_livelock_progress();
}

/* An RMW, or a successful compare-exchange: the read part as a load, then
 * a release joins into the clock; a relaxed one leaves it (both continue
 * the release sequence). */
static void rmw_clock(rc_thread *t, rc_vc *clock, unsigned order) {
  read_part(t, clock, order);
  if (is_release(order))
    rc_hb_release_join(t, clock);
  else if (t->has_fence_release)
    rc_vc_join(clock, &t->fence_release);
}

/* The location's clock, or null when the operation needs none. A location
 * nothing ever released into has no clock: a relaxed operation there joins
 * and publishes nothing (C11 relaxed creates no happens-before), so it
 * costs a lookup and no clock, as TSan's relaxed path only checks the
 * access. Only a release (or a relaxed write after a release fence) makes
 * the clock. */
static inline rc_vc *location_clock(rc_thread *t, void *addr, bool write,
                                    unsigned order) {
  rc_vc *clock = rc_atomic_clock_find(addr);
  if (clock || !write || (!is_release(order) && !t->has_fence_release))
    return clock;
  return rc_atomic_clock(addr);
}

/* On a large table of atomics (a histogram's bins) the access's shadow
 * cells and the location itself are mostly cache misses, which the shadow
 * check and then the operation would take one after the other. Asked for
 * before the scheduling point, the two lines arrive while it runs. A
 * prefetch never faults and changes no state. */
static inline void prefetch_access(const void *addr, bool write) {
  const rc_shadow_cell *cells = rc_shadow_lookup((uintptr_t)addr);
  if (cells)
    __builtin_prefetch(cells, 1);
  if (write)
    __builtin_prefetch(addr, 1);
  else
    __builtin_prefetch(addr, 0);
}

static bool cmpxchg_succeeds(const void *addr, unsigned size,
                             unsigned long long expected) {
  if (size > 8)
    return true; /* the comparand is not passed: assume the common case */
  unsigned long long current = rc_load_value(addr, size);
  if (size < 8)
    expected &= (1ull << (size * 8)) - 1;
  return current == expected;
}

/* The calling thread once its atomic operation's scheduling point has
 * passed, or null when the runtime does not follow the operation. */
static inline rc_thread *atomic_point(void *addr, rc_op_kind op, bool write,
                                      const rc_site *site) {
  rc_thread *t = g_rt.current;
  if ((!t || t != rc_self) && !(t = rc_token_not_held()))
    return 0;
  if (g_rt.finalized)
    return 0;
  t->last_site = site;
  prefetch_access(addr, write);
  if (!rc_schedule_kept(t, op, addr, site))
    rc_schedule(op, addr, site);
  return t;
}

RC_INTERFACE void __racecheck_atomic_op(void *addr, unsigned int size,
                                        unsigned int kind, unsigned int order,
                                        unsigned int failure_order,
                                        unsigned long long expected,
                                        const rc_site *site) {
  static const rc_op_kind ops[] = {RC_OP_ATOMIC_LOAD, RC_OP_ATOMIC_STORE,
                                   RC_OP_ATOMIC_RMW, RC_OP_ATOMIC_CMPXCHG};
  rc_thread *t = atomic_point(addr, kind < 4 ? ops[kind] : RC_OP_ATOMIC_RMW,
                              kind != __racecheck_atomic_load, site);
  if (!t)
    return;

  bool success = kind != __racecheck_atomic_cmpxchg ||
                 cmpxchg_succeeds(addr, size, expected);
  /* spin-lock bypass counting (failed CAS / test-and-set, acquisitions) */
  rc_starvation_atomic(t, addr, size, kind, success, expected, site);
  watch_spin(t, addr, size, kind, success, site);
  bool write = kind == __racecheck_atomic_store ||
               kind == __racecheck_atomic_rmw ||
               (kind == __racecheck_atomic_cmpxchg && success);
  rc_shadow_atomic_access(t, (uintptr_t)addr, size, write, site);

  rc_vc *clock = location_clock(t, addr, write, order);
  if (!clock)
    return;
  switch (kind) {
  case __racecheck_atomic_load: read_part(t, clock, order); break;
  case __racecheck_atomic_store:
    if (is_release(order))
      rc_hb_release(t, clock);
    else if (t->has_fence_release)
      rc_vc_copy(clock, &t->fence_release);
    else
      rc_vc_clear(clock);
    break;
  case __racecheck_atomic_cmpxchg:
    if (!success) {
      read_part(t, clock, failure_order);
      break;
    }
    /* fall through: a successful compare-exchange is an RMW */
  default: rmw_clock(t, clock, order); break;
  }
}

/* Whether an integer RMW surely changes the value: an add, subtract or xor
 * of an operand that is not zero in `size` bytes. */
static bool rmw_changes(unsigned op, unsigned size,
                        unsigned long long operand) {
  if (op != __racecheck_rmw_add && op != __racecheck_rmw_sub &&
      op != __racecheck_rmw_xor)
    return false;
  return (size < 8 ? operand & ((1ull << (size * 8)) - 1) : operand) != 0;
}

/* An integer RMW once its scheduling point has passed: the hooks and clock
 * updates of __racecheck_atomic_op's RMW, in the same order. */
static void int_rmw_after_point(rc_thread *t, void *addr, unsigned size,
                                unsigned op, unsigned order,
                                unsigned long long operand,
                                const rc_site *site) {
  rc_starvation_rmw(t, addr, size, rmw_changes(op, size, operand), site);
  rc_shadow_atomic_access(t, (uintptr_t)addr, size, true, site);
  rc_vc *clock = location_clock(t, addr, true, order);
  if (clock)
    rmw_clock(t, clock, order);
}

/* The whole integer RMW, for what the inline path below does not take. */
static __attribute__((noinline)) void int_rmw_whole(void *addr, unsigned size,
                                                    unsigned op, unsigned order,
                                                    unsigned long long operand,
                                                    const rc_site *site) {
  rc_thread *t = atomic_point(addr, RC_OP_ATOMIC_RMW, true, site);
  if (t)
    int_rmw_after_point(t, addr, size, op, order, operand, site);
}

/* The integer RMW of the token holder whose kept point did not apply: the
 * full point, then the rest (which rereads what other threads may have
 * changed meanwhile). Six arguments, so that the call can be a tail call. */
static __attribute__((noinline)) void
int_rmw_scheduled(void *addr, unsigned size, unsigned op, unsigned order,
                  unsigned long long operand, const rc_site *site) {
  rc_thread *t = g_rt.current;
  rc_schedule(RC_OP_ATOMIC_RMW, addr, site);
  int_rmw_after_point(t, addr, size, op, order, operand, site);
}

/* __racecheck_atomic_op for an integer RMW, without its dispatch on the
 * kind. A relaxed counter's (a histogram's bins) takes an inline path:
 * when the starvation detector would not look at it and it needs no
 * location clock (both decided before its point as after it: a kept point
 * runs no other thread and changes neither), it is the kept point and the
 * shadow's same-epoch test, inline (flatten: the kept point is too large
 * to be inlined by default), and any further call is its last step.
 * Anything else goes the whole way. */
RC_INTERFACE __attribute__((flatten)) void
__racecheck_atomic_int_rmw(void *addr, unsigned int size, unsigned int op,
                           unsigned int order, unsigned long long operand,
                           const rc_site *site) {
  prefetch_access(addr, true); /* first: the tests below overlap the miss */
  rc_thread *t = g_rt.current;
  if (RC_UNLIKELY(!t) || RC_UNLIKELY(t != rc_self) ||
      RC_UNLIKELY(g_rt.finalized) || !rmw_changes(op, size, operand) ||
      rc_starvation_rmw_pending || rc_starvation_spin_any ||
      is_release(order) || t->has_fence_release ||
      rc_atomic_clock_may_exist(addr)) {
    int_rmw_whole(addr, size, op, order, operand, site);
    return;
  }
  t->last_site = site;
  if (RC_UNLIKELY(!rc_schedule_kept(t, RC_OP_ATOMIC_RMW, addr, site))) {
    int_rmw_scheduled(addr, size, op, order, operand, site);
    return;
  }
  if (RC_LIKELY(
          rc_shadow_seen_this_epoch_as(t, (uintptr_t)addr, size, true, true)))
    return;
  rc_shadow_access(t, (uintptr_t)addr, size, true, true, site);
}

RC_INTERFACE void __racecheck_atomic_fence(unsigned int order,
                                           const rc_site *site) {
  rc_thread *t = g_rt.current;
  if ((!t || t != rc_self) && !(t = rc_token_not_held()))
    return;
  if (g_rt.finalized)
    return;
  t->last_site = site;
  rc_schedule(RC_OP_ATOMIC_FENCE, 0, site);
  if (is_acquire(order))
    rc_hb_acquire(t, &t->fence_acquire);
  if (is_release(order)) {
    rc_vc_copy(&t->fence_release, &t->vc);
    t->has_fence_release = true;
    rc_thread_tick(t);
  }
}
