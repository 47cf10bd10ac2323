/* sched/virtual_time.h — the run's virtual clock (virtual_time.c).
 *
 * Clocks read the real time of the run's start plus a virtual offset that
 * sleeps and timeouts advance (and every clock read, by a little, so loops
 * that wait for elapsed time progress). Nothing really sleeps; the run and
 * its report stay deterministic. Option real_time: clock reads return the
 * later of real elapsed time and virtual time (benchmarks). Deadlines are
 * virtual times in ns, with 0 and 1 reserved: 0 means "no deadline", 1 "already
 * passed" (do not wait). */
#ifndef RACECHECK_VIRTUAL_TIME_H
#define RACECHECK_VIRTUAL_TIME_H

#include "core/runtime.h"

#include <time.h>

void rc_vtime_init(void);
uint64_t rc_vtime_now(void);
/* Virtual deadline for an absolute time on `clock`; 0 if already passed. */
uint64_t rc_vtime_deadline(clockid_t clock, const struct timespec *abstime);
/* As rc_vtime_deadline, but a time already passed gives 1 ("just try"), as
 * the timed lock and wait calls take it. */
uint64_t rc_vtime_try_deadline(clockid_t clock, const struct timespec *abstime);
/* Virtual deadline `duration` from now; 0 for a zero duration. */
uint64_t rc_vtime_after(const struct timespec *duration);
/* A read of `clock` by the program: advances virtual time by the cost of a
 * read and returns the clock's value in ns. */
uint64_t rc_vtime_read(clockid_t clock);
/* Virtual time moves on to `deadline` if it is later (a time-out fires). */
void rc_vtime_advance_to(uint64_t deadline);
/* Sleep until virtual time reaches `deadline` (0: just yield), letting the
 * other threads run meanwhile. The sleeper may wake at any scheduling point
 * the strategy chooses; time then moves on to its deadline. True when a
 * signal handler or a cancellation request ended the sleep before it. */
bool rc_vtime_sleep_until(uint64_t deadline, const rc_site *site);
/* A multiplexer (poll, select, epoll) whose descriptors are not ready
 * waits, as a candidate of every scheduling point, until the strategy picks
 * it or virtual time passes `deadline` (0: none); virtual time does not
 * move for it. Returns true when picked or timed out (look again), false
 * when released otherwise. */
bool rc_vtime_wait_ready(uint64_t deadline, const rc_site *site);
/* Whether a blocked thread's wait object is such a readiness wait. */
bool rc_vtime_is_ready_wait(const void *wait_object);

#endif /* RACECHECK_VIRTUAL_TIME_H */
