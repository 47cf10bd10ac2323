/* handoff.c — how a thread gives the run token to another and waits for it
 * to come back.
 *
 * Each real thread parks on its own futex word (wake_word) while another one
 * holds the token. wake_word: 0 = waiting (spinning), 1 = woken, 2 = asleep
 * in FUTEX_WAIT. Spinning first makes a hand-over cost well under a
 * microsecond when the target is still on a CPU; the futex syscall is only
 * paid when it went to sleep.
 *
 * Two CPUs for two alternating threads. A single run is pinned to one CPU
 * (core/affinity.c) because a sleeping thread woken on another CPU costs a
 * cross-CPU wake-up. But when at most one other thread could run, the token
 * usually comes straight back, and then the cheapest hand-over is a store to
 * a thread spinning on a second CPU: on this 2-core VM 0.06 us, against
 * 0.46 us for a same-CPU sched_yield switch and 0.7 us for a futex
 * wake and wait (an idle machine; a hand-off ping-pong of plain threads).
 * So a thread about to wait in such a pair, if it shares its CPU with the
 * thread taking over, moves to the run's spare CPU (one sched_setaffinity,
 * then it stays there) and spins there for a bounded time before sleeping.
 *
 * The spare CPU is not ours alone. A spinner that the kernel preempts for
 * another process's task sees the store only at its next time slice,
 * milliseconds later, where a futex wake-up would have run it at once; and
 * on the home CPU a sched_yield hands the CPU to such a task for its whole
 * slice. Both show as a hand-over or a yield that took far longer than it
 * can on a free CPU; each such sight turns spinning on the spare CPU and
 * yielding off for a back-off period that doubles each time, and threads on
 * the spare CPU move back home at their next wait. What a loaded machine
 * pays is then one slow hand-over per period. */
#include "sched/scheduler.h"

#include <linux/futex.h>
#include <sys/syscall.h>

enum { WAKE_WAITING = 0, WAKE_WOKEN = 1, WAKE_SLEEPING = 2 };

/* Not pinned, after the spins (below), with at most one other thread able
 * to run: poll with sched_yield before the futex. Measured on 2 loaded
 * cores: a 2-thread yield ping-pong takes 0.25 us per switch with 300 spins
 * and 5 us with 100; a 4-thread mutex benchmark 8 us per switch with 100
 * spins and 15 us with 300. */
#define RC_PARK_SPINS_LIKELY 300 /* at most one other thread could run */
#define RC_PARK_SPINS_CROWDED 50 /* several could: sleep soon */
/* Pinned to one CPU: a fork-served yield_pingpong child (about 20,000
 * switches) took 98-109 ms sleeping on the futex at once, 77-81 ms with 2
 * yields first, 72-79 ms with 4 and 78-84 ms with 8. */
#define RC_PARK_YIELDS_PINNED 4
/* Not pinned: the token then usually comes back to a thread still on its
 * CPU; sched_yield gives the CPU away whenever anything else wants it.
 * Medians of 3x5 runs (0 -> 200 yields): histogram 0.121 -> 0.110 s,
 * producer_consumer 0.147 -> 0.125 s, mutex_counter 0.109 -> 0.100 s. */
#define RC_PARK_YIELDS_LIKELY 200

/* Cycle counts (the TSC runs at 2-3.5 GHz on the machines we know; the
 * bounds need no more precision than that). A spinner on the spare CPU
 * waits up to ~20-35 us for the token before it sleeps: a pair's token
 * comes back within a few microseconds, and a spinner left waiting longer
 * only burns the spare CPU. A woken thread that starts running more than
 * ~30-50 us after the hand-over (a free CPU takes under 10 even from an
 * idle state; a time slice of another task takes milliseconds) or a
 * spinner that loses its CPU for as long means another task had the CPU. */
#define RC_SPARE_SPIN_CYCLES 70000ull
#define RC_CONTENDED_CYCLES 100000ull
#define RC_BACKOFF_FIRST_CYCLES 20000000ull /* ~6-10 ms */
#define RC_BACKOFF_MAX_CYCLES 4000000000ull /* ~1-2 s */

uint32_t rc_handoff_enabled_hint = 0;

/* Written only by the token holder. */
static uint64_t contended_until; /* TSC: no spare CPU, no yields before */
static uint64_t backoff_cycles = RC_BACKOFF_FIRST_CYCLES;

static inline uint64_t tsc(void) { return __builtin_ia32_rdtsc(); }

static void note_contention(uint64_t now) {
  __atomic_store_n(&contended_until, now + backoff_cycles, __ATOMIC_RELAXED);
  if (backoff_cycles < RC_BACKOFF_MAX_CYCLES)
    backoff_cycles *= 2;
}

static inline bool contended(void) {
  return tsc() < __atomic_load_n(&contended_until, __ATOMIC_RELAXED);
}

/* The token is ours: take the wake-up, and judge how long it took to come
 * since rc_unpark stamped it, or since we began to wait if that was later
 * (a new thread may be woken before it first waits). */
static void woken_ack(rc_thread *t) {
  __atomic_store_n(&t->wake_word, WAKE_WAITING, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
  uint64_t now = tsc(), since = rc_ext(t)->handed_at;
  if (rc_ext(t)->waiting_since > since)
    since = rc_ext(t)->waiting_since;
  if (now > since && now - since > RC_CONTENDED_CYCLES)
    note_contention(now);
}

/* Sleeps on the futex until woken. */
static void sleep_until_woken(rc_thread *t) {
  for (;;) {
    uint32_t expected = WAKE_WAITING;
    if (__atomic_compare_exchange_n(&t->wake_word, &expected, WAKE_SLEEPING,
                                    false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE) ||
        expected == WAKE_SLEEPING) {
      rc_futex_wait(&t->wake_word, WAKE_SLEEPING);
      continue;
    }
    if (expected == WAKE_WOKEN)
      break;
  }
  woken_ack(t);
}

/* `blocked`: the caller parks blocked in the model (a mutex, a condition
 * variable, a join...) without a time-out: no strategy can pick it before
 * another thread releases it, which takes at least one more hand-over, so it
 * sleeps on its futex at once. Polling would only take the CPU from the token
 * holder, which on one pinned CPU costs a context switch per sched_yield: a
 * condition-variable pipeline spent a quarter of its time switching. */
void rc_park(rc_thread *t, bool blocked) {
  rc_ext(t)->waiting_since = tsc();
  /* Pinned to one CPU, the token holder cannot run while we spin. */
  int spins = rc_cpu_pinned || blocked       ? 0
              : rc_handoff_enabled_hint <= 2 ? RC_PARK_SPINS_LIKELY
                                             : RC_PARK_SPINS_CROWDED;
  for (int i = 0; i < spins; i++) {
    if (__atomic_load_n(&t->wake_word, __ATOMIC_ACQUIRE) == WAKE_WOKEN) {
      woken_ack(t);
      return;
    }
    __builtin_ia32_pause();
  }
  /* Pinned, yielding the CPU is the cheap hand-over: the token holder,
   * which woke us by a store, gets the CPU back at once, and when it hands
   * the token back and parks, its own sched_yield switches to us without a
   * futex wake-up. Only when the token likely comes straight back, and a
   * few times: a thread left waiting longer sleeps on the futex. */
  int yields = rc_handoff_enabled_hint > 2 || blocked ? 0
               : rc_cpu_pinned                        ? RC_PARK_YIELDS_PINNED
                                                      : RC_PARK_YIELDS_LIKELY;
  for (int i = 0; i < yields; i++) {
    if (__atomic_load_n(&t->wake_word, __ATOMIC_ACQUIRE) == WAKE_WOKEN) {
      woken_ack(t);
      return;
    }
    rc_raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
  }
  sleep_until_woken(t);
}

void rc_unpark(rc_thread *t) {
  rc_ext(t)->handed_at = tsc();
  if (__atomic_exchange_n(&t->wake_word, WAKE_WOKEN, __ATOMIC_ACQ_REL) ==
      WAKE_SLEEPING)
    rc_futex_wake(&t->wake_word, 1);
}

/* Spins on the spare CPU for the token, then sleeps for it. */
static void spin_on_spare(rc_thread *t) {
  uint64_t start = tsc(), last = start;
  rc_ext(t)->waiting_since = start;
  bool preempted = false;
  while (!preempted && last - start <= RC_SPARE_SPIN_CYCLES) {
    if (__atomic_load_n(&t->wake_word, __ATOMIC_ACQUIRE) == WAKE_WOKEN) {
      woken_ack(t);
      return;
    }
    __builtin_ia32_pause();
    uint64_t now = tsc();
    preempted = now - last > RC_CONTENDED_CYCLES;
    last = now;
  }
  sleep_until_woken(t);
  if (preempted) /* the spare CPU is busy; we hold the token now */
    note_contention(tsc());
}

void rc_handoff(rc_thread *t, rc_thread *next, bool blocked) {
  /* Read while holding the token: after unpark `next` may move. */
  bool next_on_spare =
      __atomic_load_n(&rc_ext(next)->on_spare, __ATOMIC_RELAXED);
  bool pair = !blocked && rc_handoff_enabled_hint <= 2 &&
              rc_affinity_has_spare() && !contended();
  bool come_home = rc_ext(t)->on_spare && !pair && contended();
  rc_unpark(next);
  if (come_home)
    rc_affinity_move_self(t, false);
  if (!pair) {
    rc_park(t, blocked);
    return;
  }
  if (rc_ext(t)->on_spare == next_on_spare)
    rc_affinity_move_self(t, !next_on_spare);
  spin_on_spare(t);
}
