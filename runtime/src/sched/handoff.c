/* handoff.c — how the run token passes from one thread to another: each
 * real thread waits on its own futex word while another holds the token.
 * scheduler.c decides who runs; this file only wakes and waits. */
#include "sched/scheduler.h"

#include <linux/futex.h>
#include <sys/syscall.h>

/* How many threads the latest decision could choose among. */
uint32_t rc_handoff_enabled_hint;

/* wake_word: 0 = waiting (spinning), 1 = woken, 2 = asleep in FUTEX_WAIT.
 * Spinning first makes a hand-over cost well under a microsecond when the
 * target is still on a CPU; the futex syscall is only paid when it went to
 * sleep. How long to spin depends on the odds of being picked again soon:
 * with one other enabled thread the token comes straight back, with several
 * the spinners would steal the CPUs from the token holder. Measured on 2
 * loaded cores: a 2-thread yield ping-pong takes 0.25 us per switch with 300
 * spins and 5 us with 100; a 4-thread mutex benchmark 8 us per switch with
 * 100 spins and 15 us with 300. */
enum { WAKE_WAITING = 0, WAKE_WOKEN = 1, WAKE_SLEEPING = 2 };
#define RC_PARK_SPINS_LIKELY 300 /* at most one other thread could run */
#define RC_PARK_SPINS_CROWDED 50 /* several could: sleep soon */
/* Pinned to one CPU (affinity.c): a fork-served yield_pingpong child (about
 * 20,000 switches) took 98-109 ms sleeping on the futex at once, 77-81 ms
 * with 2 yields first, 72-79 ms with 4 and 78-84 ms with 8. */
#define RC_PARK_YIELDS_PINNED 4
/* Not pinned, after the spins, with at most one other thread able to run:
 * keep polling with sched_yield for up to ~100 us before the futex. The
 * token then usually comes back to a thread still on its CPU (a forced
 * preemption hands it back after preempt_budget events, tens of
 * microseconds), not to one the kernel must wake, which costs ~20 us on this
 * VM; sched_yield gives the CPU away whenever anything else wants it, so a
 * parallel job loses nothing. Medians of 3x5 runs (0 -> 200 yields):
 * histogram 0.121 -> 0.110 s, producer_consumer 0.147 -> 0.125 s,
 * mutex_counter 0.109 -> 0.100 s. */
#define RC_PARK_YIELDS_LIKELY 200

/* `blocked`: the caller parks blocked in the model (a mutex, a condition
 * variable, a join...) without a time-out: no strategy can pick it before
 * another thread releases it, which takes at least one more hand-over, so it
 * sleeps on its futex at once. Polling would only take the CPU from the token
 * holder, which on one pinned CPU costs a context switch per sched_yield: a
 * condition-variable pipeline spent a quarter of its time switching. */
void rc_park(rc_thread *t, bool blocked) {
  /* Pinned to one CPU (a fork server's child, affinity.c), the token holder
   * cannot run while we spin: no spinning. */
  int spins = rc_cpu_pinned || blocked       ? 0
              : rc_handoff_enabled_hint <= 2 ? RC_PARK_SPINS_LIKELY
                                             : RC_PARK_SPINS_CROWDED;
  for (int i = 0; i < spins; i++) {
    if (__atomic_load_n(&t->wake_word, __ATOMIC_ACQUIRE) == WAKE_WOKEN)
      goto woken;
    __builtin_ia32_pause();
  }
  /* Pinned, yielding the CPU instead is the cheap hand-over: the token
   * holder, which woke us by a store, gets the CPU back at once, and when
   * it hands the token back and parks, its own sched_yield switches to us
   * without a futex wake-up. Only when the token likely comes straight
   * back (at most one other thread could run), and a few times: a thread
   * left waiting longer sleeps on the futex as before. */
  int yields = rc_handoff_enabled_hint > 2 || blocked ? 0
               : rc_cpu_pinned                        ? RC_PARK_YIELDS_PINNED
                                                      : RC_PARK_YIELDS_LIKELY;
  for (int i = 0; i < yields; i++) {
    if (__atomic_load_n(&t->wake_word, __ATOMIC_ACQUIRE) == WAKE_WOKEN)
      goto woken;
    rc_raw_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
  }
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
woken:
  __atomic_store_n(&t->wake_word, WAKE_WAITING, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
}

void rc_unpark(rc_thread *t) {
  if (__atomic_exchange_n(&t->wake_word, WAKE_WOKEN, __ATOMIC_ACQ_REL) ==
      WAKE_SLEEPING)
    rc_futex_wake(&t->wake_word, 1);
}
