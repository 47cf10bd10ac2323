/* vector_clock.c — vector clocks for happens-before (Lamport 1978; as used by
 * FastTrack, Flanagan & Freund, PLDI'09). A clock is a growable array indexed
 * by thread ordinal; entries past `n` are implicitly 0, so threads created
 * later never force every existing clock to grow. Also a thread's own
 * epoch: the entry of its own clock, and its shadow-cell form (shadow.h)
 * that the inline same-epoch test compares with. */
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

void rc_vc_set(rc_vc *vc, rc_tid t, rc_clock value) {
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
  for (uint32_t i = 0; i < a->n; i++)
    if (a->c[i] > rc_vc_get(b, i))
      return false;
  return true;
}

/* ---- a thread's own epoch ---- */

void rc_thread_epoch_changed(rc_thread *t) {
  /* Clock 0 is never an epoch (epochs start at 1), so with it no cell
   * matches, and a tid beyond a cell's 16 bits always takes the slow path,
   * which stops. */
  t->epoch_cell = t->tid > UINT16_MAX
                      ? rc_cell_make(0, UINT16_MAX, 0, 0)
                      : rc_cell_make(rc_vc_get(&t->vc, t->tid), t->tid, 0, 0);
}

void rc_thread_tick(rc_thread *t) {
  rc_vc_set(&t->vc, t->tid, rc_vc_get(&t->vc, t->tid) + 1);
  rc_thread_epoch_changed(t);
}
