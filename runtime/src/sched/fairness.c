/* fairness.c — the fair scheduling layer: CHESS's priority-based fairness
 * (Musuvathi & Qadeer, "Fair stateless model checking", PLDI'08, Fig. 3).
 *
 * A thread that yields (sched_yield, a sleep, a spin-wait annotation, a failed
 * trylock or compare-and-swap, an unchanged re-read of an atomic, a timed
 * wait that timed out) signals that it cannot progress until others run. The
 * paper keeps, per thread t, since t's previous yield:
 *   E[t]  the threads continuously enabled,
 *   D[t]  the threads t itself disabled,
 *   S[t]  the threads scheduled,
 * and a priority relation P ("t < u": t may not run while u is enabled).
 * When t yields, t gets lower priority than H = (E[t] ∪ D[t]) \ S[t] — the
 * threads it has kept waiting — and E, D, S of t start afresh; whenever u is
 * scheduled, every edge "x < u" is removed. P stays acyclic (every edge into
 * the yielding thread was removed when it was scheduled), so the enabled
 * threads no enabled thread outranks are never empty. The filter runs before
 * the strategy (random, PCT, lock-step, replay...) picks, so fairness
 * combines with all of them; a spin loop that yields then gives way to the
 * thread it waits for instead of burning the step budget, and no fair
 * schedule starves a thread that keeps asking.
 *
 * E and S are not stored as sets: with the step of each thread's latest
 * yield, its latest observation as not enabled and its latest pick,
 *   u ∈ E[t]  ⇔  u was not seen disabled since t's last yield,
 *   u ∈ S[t]  ⇔  u was picked at or after t's last yield,
 * which costs O(1) per thread and step instead of O(n) set updates. D and P
 * are bit sets (rows of 64-bit words). Everything depends only on steps and
 * dense tids, so a replay rebuilds the same filter. */
#include "sched/fairness.h"

#include <string.h>

/* Per-thread atomic reads remembered for spin detection: a few sites per
 * thread, direct-mapped by site (a spin loop has one or two). */
#define RC_SPIN_CACHE 8 /* power of two */

typedef struct rc_spin_read {
  const rc_site *site;
  const void *addr;
  uint64_t value;
  uint64_t plain_writes; /* the thread's plain writes at that read */
  bool spinning;         /* the latest read here was an unchanged re-read */
} rc_spin_read;

typedef struct rc_fair_thread {
  bool known;
  bool yield_pending;      /* the running transition yields */
  uint64_t yield_step;     /* step of the latest yield (or of its creation) */
  uint64_t disabled_step;  /* latest step it was seen not enabled + 1;
                              0: never (enabled since it appeared);
                              RC_DISABLED_NOW: not enabled at the latest
                              point */
  uint64_t scheduled_step; /* latest pick + 1; 0: never picked */
  rc_spin_read spins[RC_SPIN_CACHE];
} rc_fair_thread;

/* disabled_step of a thread not enabled at the latest point: larger than
 * any step, as step + 1 of the latest point is larger than any yield step
 * it is compared with. The exact value is filled in when the thread is next
 * enabled, so that a point at which the enabled set did not change walks
 * no threads. */
#define RC_DISABLED_NOW UINT64_MAX

static struct {
  rc_fair_thread *threads;
  uint32_t cap; /* threads[] entries; bit-set rows have `words` words */
  uint32_t words;
  uint64_t *lower;    /* P: row t = the threads t gives way to */
  uint64_t *disabled; /* D: row t = threads t disabled since its yield */
  uint64_t *previous; /* enabled set at the latest pick */
  uint64_t *current;  /* enabled set of the point being decided */
  uint64_t *last;     /* enabled set of the latest rc_fair_filter */
  uint64_t last_step; /* and its step */
  uint64_t n_edges;   /* |P| */
  rc_tid last_failed; /* failed transition ended at the latest point, +1 */
  rc_tid last_waker;  /* released a blocked thread since the latest pick, +1 */
  /* The tids below `seen` not known to have finished, in no order: what the
   * per-point loops walk, so that their cost does not grow with the number
   * of threads that ever ran (a finished thread is never enabled again, so
   * it neither gives way nor is given way to). */
  rc_tid *live;
  uint32_t n_live, live_cap, seen;
} fair;

bool rc_fair_enabled(void) { return g_rt.options.fair; }

static inline bool bit_get(const uint64_t *row, rc_tid t) {
  return (row[t >> 6] >> (t & 63)) & 1;
}
static inline void bit_set(uint64_t *row, rc_tid t) {
  row[t >> 6] |= 1ull << (t & 63);
}
static inline void bit_clear(uint64_t *row, rc_tid t) {
  row[t >> 6] &= ~(1ull << (t & 63));
}

static uint64_t *grow_rows(uint64_t *rows, uint32_t old_rows,
                           uint32_t old_words, uint32_t new_rows,
                           uint32_t new_words) {
  uint64_t *grown = rc_alloc((size_t)new_rows * new_words * sizeof(uint64_t));
  for (uint32_t r = 0; r < old_rows; r++)
    memcpy(grown + (size_t)r * new_words, rows + (size_t)r * old_words,
           old_words * sizeof(uint64_t));
  if (rows)
    rc_free(rows, (size_t)old_rows * old_words * sizeof(uint64_t));
  return grown;
}

/* Room for tids below `n`. */
static void ensure_capacity(uint32_t n) {
  if (n <= fair.cap)
    return;
  uint32_t cap = fair.cap ? fair.cap : 64;
  while (cap < n)
    cap *= 2;
  uint32_t words = (cap + 63) / 64;
  fair.threads = rc_realloc(fair.threads, fair.cap * sizeof(rc_fair_thread),
                            cap * sizeof(rc_fair_thread));
  fair.lower = grow_rows(fair.lower, fair.cap, fair.words, cap, words);
  fair.disabled = grow_rows(fair.disabled, fair.cap, fair.words, cap, words);
  fair.previous =
      grow_rows(fair.previous, fair.cap ? 1 : 0, fair.words, 1, words);
  fair.current =
      grow_rows(fair.current, fair.cap ? 1 : 0, fair.words, 1, words);
  fair.last = grow_rows(fair.last, fair.cap ? 1 : 0, fair.words, 1, words);
  fair.cap = cap;
  fair.words = words;
}

static inline uint64_t *row(uint64_t *rows, rc_tid t) {
  return rows + (size_t)t * fair.words;
}

/* A thread seen for the first time at `step`: its own history starts now,
 * and it counts as enabled all along until seen disabled (CHESS starts with
 * E[t] = every thread), so a thread that yields gives way to a thread
 * created and runnable since, too. */
static rc_fair_thread *thread_at(rc_tid tid, uint64_t step) {
  if (RC_UNLIKELY(tid >= fair.cap))
    ensure_capacity(tid + 1);
  rc_fair_thread *ft = &fair.threads[tid];
  if (!ft->known) {
    ft->known = true;
    ft->yield_step = step;
  }
  return ft;
}

void rc_fair_yield(rc_tid tid) {
  if (!rc_fair_enabled())
    return;
  thread_at(tid, g_rt.steps)->yield_pending = true;
  rc_sched_changed(); /* ends a promised kept point (kept_point.h) */
}

static bool is_yield_point(rc_op_kind kind) {
  return kind == RC_OP_YIELD || kind == RC_OP_SLEEP || kind == RC_OP_SPIN_WAIT;
}

bool rc_fair_transition_failed(rc_tid tid) {
  return tid < fair.cap && fair.threads[tid].known &&
         fair.threads[tid].yield_pending;
}

static bool finished(rc_tid u) {
  return u < g_rt.n_threads && g_rt.threads[u]->status == RC_THREAD_FINISHED;
}

/* Appends the tids below n_threads not seen yet (each becomes known at
 * `step`) and drops those that finished. */
static void live_refresh(uint32_t n_threads, uint64_t step) {
  uint32_t kept = 0;
  for (uint32_t k = 0; k < fair.n_live; k++)
    if (!finished(fair.live[k]))
      fair.live[kept++] = fair.live[k];
  fair.n_live = kept;
  for (; fair.seen < n_threads; fair.seen++) {
    thread_at(fair.seen, step);
    if (finished(fair.seen))
      continue;
    if (fair.n_live == fair.live_cap) {
      uint32_t cap = fair.live_cap ? 2 * fair.live_cap : 64;
      fair.live = rc_realloc(fair.live, fair.live_cap * sizeof *fair.live,
                             cap * sizeof *fair.live);
      fair.live_cap = cap;
    }
    fair.live[fair.n_live++] = fair.seen;
  }
}

/* Keeps disabled_step as if every live thread not enabled at `step` got
 * step + 1 (CHESS's E), walking only the threads whose enabledness changed
 * since the latest point and those seen for the first time. */
static void note_disabled(uint32_t n_threads, uint64_t step) {
  uint32_t first_new = fair.seen;
  if (fair.seen < n_threads)
    live_refresh(n_threads, step);
  for (rc_tid u = first_new; u < fair.seen; u++)
    if (!bit_get(fair.current, u) && !finished(u))
      fair.threads[u].disabled_step = RC_DISABLED_NOW;
  for (uint32_t w = 0; w < fair.words; w++) {
    uint64_t changed = fair.last[w] ^ fair.current[w];
    while (changed) {
      rc_tid u = (rc_tid)(w * 64 + (uint32_t)__builtin_ctzll(changed));
      changed &= changed - 1;
      if (u >= first_new)
        continue; /* seen just now: done above */
      rc_fair_thread *fu = &fair.threads[u];
      if (!bit_get(fair.current, u))
        fu->disabled_step = RC_DISABLED_NOW;
      else if (fu->disabled_step == RC_DISABLED_NOW)
        fu->disabled_step = fair.last_step + 1; /* last seen disabled */
    }
    fair.last[w] = fair.current[w];
  }
  fair.last_step = step;
}

/* `self` yields at `step`: it gives way to H = (E ∪ D) \ S. */
static void apply_yield(rc_tid self, rc_fair_thread *ft, uint32_t n_threads,
                        uint64_t step) {
  uint64_t *lower = row(fair.lower, self);
  uint64_t *disabled = row(fair.disabled, self);
  live_refresh(n_threads, step); /* drops the finished */
  for (uint32_t k = 0; k < fair.n_live; k++) {
    rc_tid u = fair.live[k];
    if (u == self || u >= n_threads || u >= fair.cap || !fair.threads[u].known)
      continue;
    const rc_fair_thread *fu = &fair.threads[u];
    bool continuously_enabled = fu->disabled_step <= ft->yield_step;
    bool scheduled_since = fu->scheduled_step > ft->yield_step; /* pick+1 */
    if ((continuously_enabled || bit_get(disabled, u)) && !scheduled_since &&
        !bit_get(lower, u)) {
      bit_set(lower, u);
      fair.n_edges++;
    }
  }
  memset(disabled, 0, fair.words * sizeof(uint64_t));
  ft->yield_step = step;
  ft->yield_pending = false;
}

uint32_t rc_fair_filter(rc_tid self, rc_op_kind kind, rc_tid *enabled,
                        uint32_t n, uint32_t n_threads, uint64_t step) {
  if (!rc_fair_enabled())
    return n;
  ensure_capacity(n_threads);
  /* Word by word from the ascending tids, each word stored once: setting
   * bits in a row memset just cleared stalls on store forwarding, which
   * cost more than the rest of a point that keeps its thread. */
  for (uint32_t i = 0, w = 0; w < fair.words; w++) {
    uint64_t bits = 0;
    for (; i < n && enabled[i] >> 6 == w; i++) {
      thread_at(enabled[i], step);
      bits |= 1ull << (enabled[i] & 63);
    }
    fair.current[w] = bits;
  }
  RC_CHECK(n == 0 || enabled[n - 1] < fair.words * 64); /* all placed */
  /* E: who is not enabled now stops being "continuously enabled". */
  note_disabled(n_threads, step);

  /* The transition of `self` that ends here: D[self] gains the threads that
   * were enabled when it was picked and are not now. */
  rc_fair_thread *ft = thread_at(self, step);
  uint64_t *disabled = row(fair.disabled, self);
  for (uint32_t w = 0; w < fair.words; w++)
    disabled[w] |= fair.previous[w] & ~fair.current[w];
  fair.last_failed = ft->yield_pending ? self + 1 : 0;
  if (ft->yield_pending || is_yield_point(kind))
    apply_yield(self, ft, n_threads, step);

  if (fair.n_edges == 0 || n == 1)
    return n;
  /* Keep the threads that no enabled thread outranks. */
  uint32_t kept = 0;
  for (uint32_t i = 0; i < n; i++) {
    const uint64_t *lower = row(fair.lower, enabled[i]);
    bool outranked = false;
    for (uint32_t w = 0; w < fair.words && !outranked; w++)
      outranked = (lower[w] & fair.current[w]) != 0;
    if (!outranked)
      enabled[kept++] = enabled[i];
  }
  RC_CHECK(kept > 0); /* P is acyclic */
  return kept;
}

bool rc_fair_filter_again(rc_tid self, rc_op_kind kind, uint32_t n,
                          uint64_t step) {
  if (!rc_fair_enabled())
    return true;
  /* With edges, the latest pick may have dropped some (rc_fair_scheduled):
   * the filter must look again. */
  if (fair.n_edges != 0 && n != 1)
    return false;
  if (self >= fair.cap || !fair.threads[self].known)
    return false;
  rc_fair_thread *ft = &fair.threads[self];
  if (ft->yield_pending || is_yield_point(kind))
    return false;
  /* What rc_fair_filter would do for the enabled set it saw last, which
   * the latest pick also copied to `previous`: no thread's enabledness
   * changed (note_disabled only moves its step), D[self] gains nothing,
   * no yield, and nothing to filter. */
  fair.last_step = step;
  fair.last_failed = 0;
  return true;
}

bool rc_fair_kept(rc_tid self, rc_op_kind kind, uint32_t n, uint64_t step) {
  if (!rc_fair_enabled())
    return true;
  if (!rc_fair_filter_again(self, kind, n, step))
    return false;
  /* rc_fair_scheduled_again for `self`: known, and no edges when n > 1 */
  if (fair.n_edges != 0) { /* n == 1: the whole update */
    rc_fair_scheduled(self, step);
    return true;
  }
  fair.threads[self].scheduled_step = step + 1;
  return true;
}

bool rc_fair_kept_slots_of(rc_tid self, rc_fair_kept_slots *slots) {
  static uint64_t off_step, off_scheduled;
  static rc_tid off_failed;
  if (!rc_fair_enabled()) {
    *slots = (rc_fair_kept_slots){&off_step, &off_failed, &off_scheduled};
    return true;
  }
  if (fair.n_edges != 0 || self >= fair.cap || !fair.threads[self].known ||
      fair.threads[self].yield_pending)
    return false;
  /* fair.threads moves only when a thread first becomes known, which a
   * status change (a thread created) or rc_fair_yield announces */
  *slots = (rc_fair_kept_slots){&fair.last_step, &fair.last_failed,
                                &fair.threads[self].scheduled_step};
  return true;
}

void rc_fair_scheduled(rc_tid chosen, uint64_t step) {
  if (!rc_fair_enabled())
    return;
  thread_at(chosen, step)->scheduled_step = step + 1;
  for (uint32_t w = 0; w < fair.words; w++)
    fair.previous[w] = fair.current[w];
  if (fair.n_edges == 0)
    return;
  for (uint32_t t = 0; t < fair.cap; t++) {
    uint64_t *lower = row(fair.lower, t);
    if (bit_get(lower, chosen)) {
      bit_clear(lower, chosen);
      fair.n_edges--;
    }
  }
}

void rc_fair_scheduled_again(rc_tid chosen, uint64_t step) {
  if (!rc_fair_enabled())
    return;
  /* Edges towards `chosen` to drop, or a thread not offered (the
   * race-directed strategy may pick one): the whole update. */
  if (fair.n_edges != 0 || chosen >= fair.cap || !fair.threads[chosen].known) {
    rc_fair_scheduled(chosen, step);
    return;
  }
  /* `previous` already is the enabled set. */
  fair.threads[chosen].scheduled_step = step + 1;
}

rc_spin_event rc_fair_atomic_read(rc_tid tid, const rc_site *site,
                                  const void *addr, uint64_t value,
                                  rc_atomic_read_kind kind) {
  if (!rc_fair_enabled())
    return RC_SPIN_NONE;
  rc_fair_thread *ft = thread_at(tid, g_rt.steps);
  uintptr_t key = (uintptr_t)site ^ ((uintptr_t)site >> 7);
  rc_spin_read *r = &ft->spins[key & (RC_SPIN_CACHE - 1)];
  rc_spin_event event = RC_SPIN_NONE;
  bool same_place = r->site == site && r->addr == addr;
  /* A re-read after the thread wrote memory is a loop doing work that checks
   * a flag on the way (a magic static's guard, "if (ready) use()"), not a
   * spin: only a loop that writes nothing in between waits for the value. */
  uint64_t writes = tid < g_rt.n_threads ? g_rt.threads[tid]->plain_writes : 0;
  if (kind == RC_ATOMIC_READ_CAS_FAILED ||
      (kind == RC_ATOMIC_READ_LOAD && same_place && r->value == value &&
       r->plain_writes == writes)) {
    event = RC_SPIN_YIELD;
    ft->yield_pending = true;
    rc_sched_changed(); /* ends a promised kept point (kept_point.h) */
  } else if (same_place && r->spinning) {
    event = RC_SPIN_END;
  }
  r->site = site;
  r->addr = addr;
  r->value = value;
  r->plain_writes = writes;
  r->spinning = event == RC_SPIN_YIELD;
  return event;
}

uint64_t rc_fair_scheduled_step(rc_tid tid) {
  return tid < fair.cap && fair.threads[tid].known
             ? fair.threads[tid].scheduled_step
             : 0;
}

bool rc_fair_last_transition_failed(rc_tid tid) {
  return fair.last_failed == tid + 1;
}

void rc_fair_note_release(rc_tid waker) { fair.last_waker = waker + 1; }

bool rc_fair_take_release(rc_tid tid) {
  bool released = fair.last_waker == tid + 1;
  fair.last_waker = 0;
  return released;
}

bool rc_fair_has_priority_edge(rc_tid low, rc_tid high) {
  return low < fair.cap && high < fair.cap &&
         bit_get(row(fair.lower, low), high);
}

void rc_fair_reset(void) {
  if (fair.cap) {
    rc_free(fair.threads, fair.cap * sizeof(rc_fair_thread));
    rc_free(fair.lower, (size_t)fair.cap * fair.words * sizeof(uint64_t));
    rc_free(fair.disabled, (size_t)fair.cap * fair.words * sizeof(uint64_t));
    rc_free(fair.previous, fair.words * sizeof(uint64_t));
    rc_free(fair.current, fair.words * sizeof(uint64_t));
    rc_free(fair.last, fair.words * sizeof(uint64_t));
  }
  if (fair.live)
    rc_free(fair.live, fair.live_cap * sizeof *fair.live);
  memset(&fair, 0, sizeof fair);
}
