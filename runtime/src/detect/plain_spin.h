/* plain_spin.h — the `spin` hang of a thread polling plain (non-atomic)
 * memory that no one can change any more (plain_spin.c). Private to the
 * runtime: the access entry points feed it, the livelock detector's
 * scheduling-point hook arms it. */
#ifndef RACECHECK_PLAIN_SPIN_H
#define RACECHECK_PLAIN_SPIN_H

#include "core/runtime.h"

/* The thread being watched, or null: set only while that thread is the one
 * thread that can act. The access entry points test it before their fast
 * path, so an unwatched run pays one compare per access. */
extern rc_thread *rc_plain_spin_watched;
/* Events before a forced preemption point whose loads are sampled for
 * polling (any thread, when the watch is elsewhere). */
#define RC_SPIN_SAMPLE 64u

/* At every scheduling point of `t` (from rc_livelock_step): arms the watch
 * at a forced preemption point when `others_can_act` is false, disarms it
 * otherwise; a synchronisation point that did not fail is progress. */
void rc_plain_spin_point(rc_thread *t, rc_op_kind kind, bool failed,
                         bool others_can_act);
/* A plain access of the watched thread, or one of the sampled last events
 * before a forced preemption point, before it happens. */
void rc_plain_spin_access(rc_thread *t, const void *addr, uint32_t size,
                          bool write, const rc_site *site);
/* Could another thread (or the handler of a pending signal) still change
 * memory the spinner reads? (livelock.c) */
bool rc_livelock_others_can_act(rc_tid spinner);

#endif /* RACECHECK_PLAIN_SPIN_H */
