/* sched/bounded_choices.h — the seed -> choice-point set enumeration behind
 * the bounded strategies (strategy_preemption_bounded.c,
 * strategy_delay_bounded.c): seed 0 is the empty set, and the seeds above
 * it cycle through the set sizes 1..N, each size's sets in colexicographic
 * order (the combinatorial number system), so every set of c <= N choice
 * points below K is reached by some seed below 1 + N * C(K + c - 1, c) (for
 * multisets; C(K, c) for sets) whatever the run's length — an exact,
 * iterative enumeration that needs no step estimate and maps each seed to
 * one schedule, so seed ranges shard exactly. */
#ifndef RACECHECK_SCHED_BOUNDED_CHOICES_H
#define RACECHECK_SCHED_BOUNDED_CHOICES_H

#include <stdbool.h>
#include <stdint.h>

#define RC_BOUNDED_MAX 16 /* largest bound N */
/* Choice points a thread may be kept running in a row while others could
 * run before either bounded strategy switches away for free (a poll the
 * fair layer does not see), as CHESS's fairness does. */
#define RC_BOUNDED_RUN_LIMIT 200

typedef struct rc_bounded_choices {
  uint64_t at[RC_BOUNDED_MAX]; /* choice-point indices, ascending */
  uint32_t n;
} rc_bounded_choices;

/* The set (multiset: equal indices allowed) of choice points of `seed` under
 * bound `bound` (1..RC_BOUNDED_MAX). */
void rc_bounded_choices_of(uint64_t seed, uint32_t bound, bool multiset,
                           rc_bounded_choices *out);

/* How many of the choices fall on choice point `index` (indices are asked
 * in ascending order; `*cursor` starts at 0). */
uint32_t rc_bounded_choices_at(const rc_bounded_choices *choices,
                               uint32_t *cursor, uint64_t index);

/* "pb-2" -> 2 for `prefix` "pb-"; 0 when `name` is not prefix + 1..16. */
uint32_t rc_bounded_parse(const char *name, const char *prefix);

#endif /* RACECHECK_SCHED_BOUNDED_CHOICES_H */
