/* schedule.h — schedule files (docs/schedule-format.md) and the strategies
 * that go with them: the writer (schedule_writer.c), the reader
 * (schedule_reader.c), the replay strategy (strategy_replay.c), the binary
 * identity that ties a schedule to one executable (binary_identity.c) and
 * PCT (strategy_pct.c). Private to these files and init.c. */
#ifndef RACECHECK_SCHEDULE_H
#define RACECHECK_SCHEDULE_H

#include "rt_internal.h"

#define RC_SCHEDULE_FORMAT_VERSION 1

/* "build-id:<hex>" (ELF NT_GNU_BUILD_ID of the executable) or, without one,
 * "fnv1a64:<16 hex>" of /proc/self/exe's bytes. Computed once. */
const char *rc_binary_identity(void);

/* Identifier of an operation in a schedule file: rc_op_name with '_' for
 * spaces ("mutex_lock"). Writes into buf (at least 48 bytes). */
const char *rc_op_token(rc_op_kind kind, char *buf, size_t size);

/* ---- schedule_writer.c: ScheduleWriter ---- */
/* Writes the header (from g_rt.options and the process) and every decision
 * in g_rt.decisions to `path`. Returns false (after a message) on I/O
 * errors. */
bool rc_schedule_writer_write(const char *path);

/* ---- schedule_reader.c: ScheduleReader ----
 * Reads a whole schedule with raw syscalls into the runtime arena; strings
 * point into that copy (unescaped in place). Any error is fatal (exit 2)
 * with the file name and line number. */
typedef struct rc_schedule_decision {
  uint64_t step;
  rc_tid chosen;
  const char *op;   /* token, as written */
  const char *file; /* site file, "" when the site was unknown */
  uint32_t line;
  uint32_t file_line; /* line of this decision in the schedule file */
} rc_schedule_decision;

typedef struct rc_schedule_file {
  const char *path;
  uint32_t format_version;
  const char *tool_version;
  const char *binary;
  const char *program;
  const char *strategy;
  uint64_t seed;
  uint64_t preempt_budget;
  uint64_t pct_depth;
  uint64_t pct_steps;
  bool has_max_steps; /* files written before max_steps existed lack it */
  uint64_t max_steps;
  uint64_t steps; /* scheduling points of the recorded run */
  uint64_t n_decisions;
  rc_schedule_decision *decisions;
} rc_schedule_file;

void rc_schedule_reader_read(const char *path, rc_schedule_file *out);

/* ---- strategy_replay.c ----
 * Loads options.replay, checks the binary identity, copies the recorded
 * strategy/seed/budgets into g_rt.options and returns a strategy that wraps
 * the recorded one (so every non-thread choice, e.g. preemption budgets,
 * comes from the same random stream) but takes thread choices from the
 * file, stopping with a divergence message when the run departs from it. */
rc_strategy *rc_strategy_replay_setup(void);
/* At finalisation: stop with a message when recorded decisions were left. */
void rc_strategy_replay_check_complete(void);

/* ---- strategy_pct.c ---- */
rc_strategy *rc_strategy_pct(void);

/* ---- strategy_directed.c: DeadlockFuzzer-style confirmation of a
 * lock-order cycle (options directed_targets, seed) ---- */
rc_strategy *rc_strategy_directed(void);

#endif /* RACECHECK_SCHEDULE_H */
