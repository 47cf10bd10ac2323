/* plain_spin.c — a thread that polls plain memory no one can change is a
 * `spin` hang, like one re-reading an unchanged atomic (livelock.c).
 *
 * A plain load makes no scheduling point, so a `while (!flag) barrier();`
 * loop shows the livelock detector nothing but forced preemption points.
 * Once such a point finds every other thread blocked without a time-out or
 * finished and no signal handler of the program's installed, nothing but
 * the thread itself can change memory: the thread is watched. Each plain
 * load of the watched thread reads the location's current value itself
 * (address and size are known) and compares it with the value the thread
 * read there last time (a table of the last RC_SPIN_SLOTS locations):
 *   - an unchanged re-read is a failed attempt; one location, the anchor
 *     (the first re-read after progress), counts the rounds;
 *   - a changed value, a location not in the table (a loop reading more
 *     locations than the table holds works through data), any plain or
 *     libc write of the thread, a synchronisation point that did not fail:
 *     progress, counting starts again;
 *   - a computation whose state lives in registers and on the stack (a loop
 *     counter, an accumulator) re-reads unchanged memory too; so every
 *     RC_SPIN_SNAPSHOT rounds, at the anchor, the thread's own state is
 *     fingerprinted: the callee-saved registers and its stack from here to
 *     its top (bounded). Anything live across the access call is in one of
 *     them, so a loop that computes changes the fingerprint: progress.
 * After spin_hang_repeats rounds with the same fingerprint the thread
 * repeats a state it can never leave: a `hang` of cause `spin`.
 * Shared memory written by another process, or by a thread racecheck does
 * not know, is not seen: such a program polls memory racecheck cannot
 * model (the same holds for atomics). */
#include "detect/plain_spin.h"
#include "detect/hang.h"
#include "record/schedule.h"
#include "sched/fairness.h"

#include <string.h>

#define RC_SPIN_SLOTS 8
#define RC_SPIN_SNAPSHOT 1024
#define RC_SPIN_STACK_BYTES (64u << 10)
/* Loads below are not read here: the program's own load is about to fault
 * (a null pointer's field), and must fault in its code, at its line. */
#define RC_SPIN_LOWEST_ADDRESS 65536u

rc_thread *rc_plain_spin_watched;

static struct {
  struct {
    uintptr_t addr;
    uint32_t size;
    uint64_t value;
  } slot[RC_SPIN_SLOTS];
  uint32_t n_slots, next_slot;
  uintptr_t anchor;           /* location counting rounds; 0: none */
  const rc_site *anchor_site; /* its read's site, the report's */
  uint64_t rounds;            /* unchanged anchor re-reads since progress */
  uint64_t reads;             /* reads since the latest anchor re-read */
  uint64_t period;            /* reads per round, last seen */
  uint64_t fingerprint;       /* at the latest snapshot; 0: none yet */
} watch;

static bool sampled_polling(rc_thread *t);

static void progress(void) {
  watch.anchor = 0;
  watch.rounds = 0;
  watch.fingerprint = 0;
}

/* The watched thread changed memory or saw it change: it is not spinning
 * now. The watch ends until a later forced preemption point finds the thread
 * alone again, so a lone thread that computes pays the per-load table
 * lookup only until its first write after each such point. */
static void progress_unwatched(void) {
  progress();
  rc_plain_spin_watched = 0;
}

void rc_plain_spin_point(rc_thread *t, rc_op_kind kind, bool failed,
                         bool others_can_act) {
  if (kind != RC_OP_PREEMPT) {
    /* A yield, sleep or failed attempt changes nothing the loop reads; a
     * synchronisation that succeeded may have. */
    if (rc_plain_spin_watched != t) {
      if (!failed && !rc_op_is_voluntary_switch(kind))
        progress();
      return;
    }
    if (!failed && !rc_op_is_voluntary_switch(kind)) {
      progress_unwatched();
      return;
    }
  }
  if (!g_rt.options.spin_hang_repeats || others_can_act) {
    if (rc_plain_spin_watched == t)
      rc_plain_spin_watched = 0;
    if (kind == RC_OP_PREEMPT && sampled_polling(t))
      rc_fair_yield(t->tid);
    return;
  }
  if (rc_plain_spin_watched != t) {
    rc_plain_spin_watched = t;
    watch.n_slots = watch.next_slot = 0;
    progress();
  }
}

static uint64_t value_at(const void *addr, uint32_t size) {
  uint64_t v[2] = {0, 0};
  memcpy(v, addr, size > sizeof v ? sizeof v : size);
  return size > 8 ? rc_hash64(v[0] ^ rc_hash64(v[1])) : v[0];
}

/* The calling thread's state that survives the access call: callee-saved
 * registers, and the stack from this frame up to its top (bounded; the
 * loop's frames are the deepest, so nearest). The watch's own frames hold
 * only what the same call at the same site holds every time. */
static __attribute__((noinline)) uint64_t state_fingerprint(rc_thread *t) {
  uint64_t h = 0x9e3779b97f4a7c15ull;
#if defined(__x86_64__)
  uint64_t r[6];
  __asm__ volatile("mov %%rbx, 0(%0)\n\tmov %%rbp, 8(%0)\n\t"
                   "mov %%r12, 16(%0)\n\tmov %%r13, 24(%0)\n\t"
                   "mov %%r14, 32(%0)\n\tmov %%r15, 40(%0)"
                   :
                   : "r"(r)
                   : "memory");
  for (int i = 0; i < 6; i++)
    h = (h ^ r[i]) * 0x100000001b3ull;
#endif
  uintptr_t lo = (uintptr_t)__builtin_frame_address(0);
  uintptr_t hi = t->stack_hi;
  if (lo < t->stack_lo || lo >= hi)
    return rc_hash64(h);
  lo &= ~(uintptr_t)7;
  if (hi - lo > RC_SPIN_STACK_BYTES)
    hi = lo + RC_SPIN_STACK_BYTES;
  for (const uint64_t *p = (const uint64_t *)lo; (uintptr_t)(p + 1) <= hi; p++)
    h = (h ^ *(const volatile uint64_t *)p) * 0x100000001b3ull;
  return rc_hash64(h);
}

static void count_round(rc_thread *t, const rc_site *site) {
  watch.period = watch.reads;
  watch.reads = 0;
  if (++watch.rounds % RC_SPIN_SNAPSHOT)
    return;
  uint64_t fingerprint = state_fingerprint(t) | 1;
  if (fingerprint != watch.fingerprint) {
    watch.fingerprint = fingerprint; /* the thread computes: start again */
    watch.rounds = 0;
    return;
  }
  if (watch.rounds >= g_rt.options.spin_hang_repeats &&
      !rc_livelock_others_can_act(t->tid))
    rc_report_spin_hang(t, site, watch.period ? watch.period : 1, watch.rounds);
}

/* ---- polling while others can act: a yield for the fair layer ----
 * The last RC_SPIN_SAMPLE events before a forced preemption point are
 * sampled: a thread whose loads there only re-read a few locations, with no
 * write, polls (values are not read: a wrong guess only reorders threads,
 * and the program's load must be the one to fault on a wild pointer); its
 * forced point then counts as a failed attempt, so the
 * fair layer lets the threads that can change the value run (else a
 * priority-based strategy could run the poller for ever past a thread that
 * would release it). */
static struct {
  rc_thread *t;
  uint64_t steps; /* the scheduling point the sampled window follows */
  uintptr_t slot[RC_SPIN_SLOTS]; /* locations read */
  uint32_t n_slots, rereads;
  bool works; /* wrote, or read too many locations */
} sample;

static void sample_access(rc_thread *t, uintptr_t a, bool write) {
  if (sample.t != t || sample.steps != g_rt.steps) {
    sample.t = t;
    sample.steps = g_rt.steps;
    sample.n_slots = sample.rereads = 0;
    sample.works = false;
  }
  if (sample.works)
    return;
  if (write) {
    sample.works = true;
    return;
  }
  for (uint32_t i = 0; i < sample.n_slots; i++) {
    if (sample.slot[i] == a) {
      sample.rereads++;
      return;
    }
  }
  if (sample.n_slots == RC_SPIN_SLOTS) {
    sample.works = true;
    return;
  }
  sample.slot[sample.n_slots++] = a;
}

static bool sampled_polling(rc_thread *t) {
  return sample.t == t && sample.steps + 1 == g_rt.steps && !sample.works &&
         sample.rereads >= RC_SPIN_SAMPLE / 4;
}

void rc_plain_spin_access(rc_thread *t, const void *addr, uint32_t size,
                          bool write, const rc_site *site) {
  if (rc_plain_spin_watched != t) {
    sample_access(t, (uintptr_t)addr, write);
    return;
  }
  if (write || (uintptr_t)addr < RC_SPIN_LOWEST_ADDRESS) {
    progress_unwatched();
    return;
  }
  uintptr_t a = (uintptr_t)addr;
  uint64_t value = value_at(addr, size);
  watch.reads++;
  for (uint32_t i = 0; i < watch.n_slots; i++) {
    if (watch.slot[i].addr != a || watch.slot[i].size != size)
      continue;
    if (watch.slot[i].value != value) {
      watch.slot[i].value = value;
      progress_unwatched();
      return;
    }
    if (!watch.anchor) {
      watch.anchor = a;
      watch.anchor_site = site;
      watch.reads = 0;
    } else if (a == watch.anchor && site == watch.anchor_site) {
      count_round(t, site);
    }
    return;
  }
  uint32_t i = watch.n_slots < RC_SPIN_SLOTS
                   ? watch.n_slots++
                   : watch.next_slot++ % RC_SPIN_SLOTS;
  watch.slot[i].addr = a;
  watch.slot[i].size = size;
  watch.slot[i].value = value;
  progress();
}
