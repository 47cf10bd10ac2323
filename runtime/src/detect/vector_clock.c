/* vector_clock.c — vector clocks for happens-before (Lamport 1978; as used by
 * FastTrack, Flanagan & Freund, PLDI'09). A clock is a growable array indexed
 * by thread ordinal; entries past `n` are implicitly 0, so threads created
 * later never force every existing clock to grow. Also a thread's own
 * epoch: the entry of its own clock, and its shadow-cell form (shadow.h)
 * that the inline same-epoch test compares with; and the clock slots
 * threads share over time (rc_clock_slots, runtime.h). */
#include "detect/shadow.h"

#include <string.h>

void rc_vc_init(rc_vc *vc) {
  vc->c = 0;
  vc->n = 0;
  vc->cap = 0;
}

void rc_vc_destroy(rc_vc *vc) {
  rc_free(vc->c, (size_t)vc->cap * sizeof *vc->c);
  rc_vc_init(vc);
}

static void rc_vc_reserve(rc_vc *vc, uint32_t n) {
  if (n <= vc->cap)
    return;
  uint32_t cap = vc->cap ? vc->cap : 4;
  while (cap < n)
    cap *= 2;
  /* rc_realloc zero-fills the grown part, which keeps the implicit zeros. */
  vc->c = rc_realloc(vc->c, (size_t)vc->cap * sizeof *vc->c,
                     (size_t)cap * sizeof *vc->c);
  vc->cap = cap;
}

void rc_vc_set(rc_vc *vc, rc_tid tid, rc_clock value) {
  uint32_t t = rc_vc_slot(tid);
  if (t >= vc->n) {
    if (value == 0)
      return; /* already implicitly 0 */
    rc_vc_reserve(vc, t + 1);
    /* entries between the old n and t may hold stale values after a clear */
    memset(vc->c + vc->n, 0, (size_t)(t + 1 - vc->n) * sizeof *vc->c);
    vc->n = t + 1;
  }
  vc->c[t] = value;
}

void rc_vc_join(rc_vc *dst, const rc_vc *src) {
  if (src->n > dst->n) {
    rc_vc_reserve(dst, src->n);
    memset(dst->c + dst->n, 0, (size_t)(src->n - dst->n) * sizeof *dst->c);
    dst->n = src->n;
  }
  for (uint32_t i = 0; i < src->n; i++)
    if (src->c[i] > dst->c[i])
      dst->c[i] = src->c[i];
}

void rc_vc_copy(rc_vc *dst, const rc_vc *src) {
  if (dst == src)
    return;
  rc_vc_reserve(dst, src->n);
  if (src->n)
    memcpy(dst->c, src->c, (size_t)src->n * sizeof *dst->c);
  dst->n = src->n;
}

void rc_vc_clear(rc_vc *vc) {
  vc->n = 0; /* keeps the storage; rc_vc_set/join zero what they re-expose */
}

bool rc_vc_leq(const rc_vc *a, const rc_vc *b) {
  for (uint32_t i = 0; i < a->n; i++) /* slot by slot */
    if (a->c[i] > (i < b->n ? b->c[i] : 0))
      return false;
  return true;
}

/* ---- a thread's own epoch ---- */

/* The shadow cell of epoch `clock` of thread `tid`. Clock 0 is never an
 * epoch (epochs start at 1), so with it no cell matches, and a tid beyond a
 * cell's 16 bits always takes the slow path, which stops. */
static inline uint64_t epoch_cell_of(rc_tid tid, rc_clock clock) {
  return tid > UINT16_MAX ? rc_cell_make(0, UINT16_MAX, 0, 0)
                          : rc_cell_make(clock, tid, 0, 0);
}

void rc_thread_epoch_changed(rc_thread *t) {
  t->epoch_cell = epoch_cell_of(t->tid, rc_vc_get(&t->vc, t->tid));
}

void rc_thread_tick(rc_thread *t) {
  /* Every release ticks: one slot lookup, not one per get, set and epoch. */
  uint32_t slot = rc_vc_slot(t->tid);
  rc_clock now;
  if (RC_LIKELY(slot < t->vc.n))
    now = ++t->vc.c[slot];
  else
    rc_vc_set(&t->vc, t->tid, now = 1);
  t->epoch_cell = epoch_cell_of(t->tid, now);
}

/* ---- clock slots (rc_clock_slots) ---- */

rc_clock_slots rc_clock_slot_map;

/* A finished thread whose slot may serve again: its last own entries, taken
 * when it finished (a join frees its clocks). */
typedef struct rc_free_slot {
  rc_tid tid;
  uint32_t slot;
  rc_clock last[3]; /* happens-before, fork-join, sync-order */
} rc_free_slot;

/* Oldest first (a ring). */
static rc_free_slot *free_ring;
static uint32_t free_head, free_count, free_cap;

/* A creation looks at this many finished threads at most: a slot whose
 * thread the creator does not know all of (a detached thread nobody
 * synchronised with) goes to the back, so it never blocks the others. */
#define RC_SLOT_CANDIDATES 4

static rc_clock own_entry(const rc_vc *vc, const rc_thread *t) {
  return rc_vc_get(vc, t->tid);
}

/* `parent` knows every event of the finished thread, in all three clocks a
 * thread carries, so a thread it starts may continue its slot. */
static bool knows_all_of(const rc_thread *parent, const rc_free_slot *f) {
  return rc_vc_get(&parent->vc, f->tid) >= f->last[0] &&
         rc_vc_get(&parent->fork_join_vc, f->tid) >= f->last[1] &&
         rc_vc_get(&parent->sync_order_vc, f->tid) >= f->last[2];
}

static void map_slot(rc_tid tid, uint32_t slot) {
  rc_clock_slots *m = &rc_clock_slot_map;
  if (tid >= m->cap) {
    uint32_t cap = m->cap ? m->cap * 2 : 64;
    while (cap <= tid)
      cap *= 2;
    m->of = rc_realloc(m->of, (size_t)m->cap * sizeof *m->of,
                       (size_t)cap * sizeof *m->of);
    m->cap = cap;
  }
  /* tids are dense: those below tid are mapped already (a failed create
   * hands its tid out again) */
  m->of[tid] = slot;
  if (tid >= m->n_mapped)
    m->n_mapped = tid + 1;
}

void rc_thread_take_clock_slot(rc_thread *t, const rc_thread *parent) {
  t->clock_floor = t->fork_join_floor = t->sync_order_floor = 0;
  for (uint32_t i = 0; parent && i < RC_SLOT_CANDIDATES && i < free_count;
       i++) {
    rc_free_slot f = free_ring[free_head];
    free_head = (free_head + 1) % free_cap;
    if (knows_all_of(parent, &f)) {
      free_count--;
      t->clock_floor = f.last[0];
      t->fork_join_floor = f.last[1];
      t->sync_order_floor = f.last[2];
      map_slot(t->tid, f.slot);
      return;
    }
    /* to the back: the ring is full circle, so the tail is the old head */
    free_ring[(free_head + free_count - 1) % free_cap] = f;
  }
  map_slot(t->tid, rc_clock_slot_map.next++);
}

void rc_thread_release_clock_slot(const rc_thread *t) {
  if (free_count == free_cap) {
    uint32_t cap = free_cap ? free_cap * 2 : 64;
    rc_free_slot *ring = rc_alloc((size_t)cap * sizeof *ring);
    for (uint32_t i = 0; i < free_count; i++)
      ring[i] = free_ring[(free_head + i) % free_cap];
    rc_free(free_ring, (size_t)free_cap * sizeof *free_ring);
    free_ring = ring;
    free_head = 0;
    free_cap = cap;
  }
  rc_free_slot f = {t->tid,
                    rc_vc_slot(t->tid),
                    {own_entry(&t->vc, t), own_entry(&t->fork_join_vc, t),
                     own_entry(&t->sync_order_vc, t)}};
  free_ring[(free_head + free_count) % free_cap] = f;
  free_count++;
}
