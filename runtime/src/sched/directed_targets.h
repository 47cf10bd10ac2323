/* directed_targets.h — the target acquisitions of the "directed" strategy
 * (strategy_directed.c): how they are read from a targets file and matched
 * against a thread's pending lock request. Private to those files and the
 * unit tests.
 *
 * A target is one step of a potential lock-order cycle: thread `tid` asks
 * for lock `wanted` at `file:line` while it holds lock `held`. Locks are
 * named as the record names them (docs/record-format.md `lock`): by their
 * global variable when they have one, else by (first-use site, creator
 * thread, ordinal), which stay the same from run to run of one binary,
 * unlike lock ids. `occurrence` picks the n-th matching request of the
 * thread (1-based); 0 matches every one. The file's grammar (keyword and
 * fields) is racecheck/schedule_format.h's, which the command's writer
 * (deadlock_confirmation.cpp) uses too. */
#ifndef RACECHECK_DIRECTED_TARGETS_H
#define RACECHECK_DIRECTED_TARGETS_H

#include "core/runtime.h"

typedef struct rc_lock_key {
  const char *name; /* "" when the lock has no global name */
  const char *file; /* first-use site (used only without a name) */
  uint32_t line;
  rc_tid creator;
  uint32_t ordinal;
} rc_lock_key;

typedef struct rc_directed_target {
  rc_tid tid;
  const char *file; /* position of the request (innermost site) */
  uint32_t line;
  rc_lock_key wanted, held;
  uint32_t occurrence; /* 1-based; 0: every matching request */
  /* run state (strategy_directed.c) */
  uint32_t arrivals; /* matching requests seen so far */
  bool waiting;      /* its thread is paused right before the request */
} rc_directed_target;

/* Parses a targets file's text (modified in place; strings point into it).
 * One target per line, fields separated by TAB:
 *   target TID FILE LINE WANTED... HELD... OCCURRENCE
 * where each lock is NAME FILE LINE CREATOR ORDINAL. Lines starting with
 * '#' and empty lines are skipped. Returns false with a message in `error`
 * (naming the line) on malformed input. `out` is rc_alloc'ed. */
bool rc_directed_targets_parse(char *text, rc_directed_target **out,
                               uint32_t *n_out, char *error, size_t error_size);

/* Does the lock with this identity match the key? */
bool rc_lock_key_matches(const rc_lock_key *key, const rc_lock_info *info);

/* Is `t` about to ask for `target`'s wanted lock (lock id `wanted_lock`, its
 * pending request at `site`) while holding the target's held lock? Ignores
 * the occurrence (the caller counts arrivals). */
bool rc_directed_request_matches(const rc_directed_target *target,
                                 const rc_thread *t, uint32_t wanted_lock,
                                 const rc_site *site);

#endif /* RACECHECK_DIRECTED_TARGETS_H */
