/* schedule.h — schedule files (docs/schedule-format.md) and the strategies
 * that go with them: the writer (schedule_writer.c), the reader
 * (schedule_reader.c), the replay strategy (strategy_replay.c), the binary
 * identity that ties a schedule to one executable (binary_identity.c) and
 * PCT (strategy_pct.c). Private to these files and init.c. */
#ifndef RACECHECK_SCHEDULE_H
#define RACECHECK_SCHEDULE_H

#include "core/runtime.h"
#include "racecheck/schedule_format.h"

/* "build-id:<hex>" (ELF NT_GNU_BUILD_ID of the executable) or, without one,
 * "fnv1a64:<16 hex>" of /proc/self/exe's bytes. Computed once. */
const char *rc_binary_identity(void);

/* Identifier of an operation in a schedule file: rc_op_name with '_' for
 * spaces ("mutex_lock"). Writes into buf (at least 48 bytes). */
const char *rc_op_token(rc_op_kind kind, char *buf, size_t size);

/* ---- schedule_writer.c: ScheduleWriter ---- */
/* Writes the header (from g_rt.options and the process), the decisions and
 * the switches spooled during the run, and `end` to `path`. Returns false
 * (after a message) on I/O errors. */
bool rc_schedule_writer_write(const char *path);
/* The sections of a schedule file written while the run goes on, each
 * spooled to its own temporary file (raw_writer.h) so that memory stays
 * flat however long the run is. */
typedef enum rc_schedule_section {
  RC_SCHEDULE_SECTION_DECISIONS,
  RC_SCHEDULE_SECTION_SWITCHES,
  RC_SCHEDULE_SECTION_COUNT
} rc_schedule_section;
/* The spool of a section, opened on first use; null when this process
 * writes no schedule (no schedule_out, a forked child of the program) or
 * the spool cannot be created (the schedule writer then says so). */
struct rc_out *rc_schedule_spool(rc_schedule_section section);
/* Writes "FILE:LINE" of a site (with ":COLUMN" when `column`), "-" when it
 * is unknown. */
void rc_schedule_write_site(struct rc_out *o, const rc_site *site, bool column);
/* Before main (init.c): the executable's path and argv exactly as the
 * program received them, for the schedule's header. Read once per process,
 * so a fork server's children inherit them instead of reading /proc again
 * in every schedule. */
void rc_schedule_writer_remember_invocation(int argc, char **argv);

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
  /* fair scheduling layer and livelock threshold of the recorded run; both
   * 0 in files written before fairness existed (the run was not fair) */
  bool fair;
  uint64_t livelock_repeats;
  uint64_t preemptions;      /* informational; 0 when absent */
  uint64_t shrunk_from;      /* preemptions before shrinking; 0: not shrunk */
  uint64_t phase;            /* 2: a race-directed run; 0/1 otherwise */
  uint64_t race_pause_steps; /* phase 2: pause bound; 0 when absent */
  bool spurious_wakeups;     /* the run had the option on */
  bool access_points;        /* shared plain accesses were points */
  const char *guided_base;   /* strategy=guided: the shrunk run's, or null */
  uint32_t n_race_targets;
  struct rc_race_target *race_targets;
  uint64_t n_decisions;
  rc_schedule_decision *decisions;
  /* strategy random's option; 0 when absent: uniform at every point */
  uint64_t random_decay_steps;
  /* the virtual time of a point; 0 when absent (files of earlier versions) */
  uint64_t step_ns;
  /* points that may end a sleep early; absent: every point (earlier files) */
  uint64_t early_wake_steps;
  bool has_early_wake_steps;
} rc_schedule_file;

void rc_schedule_reader_read(const char *path, rc_schedule_file *out);

/* The strategies themselves: sched/strategy.h. */

/* ---- schedule_switches.c: where a run switched threads ----
 * Every scheduling point is identified robustly, not by its global step
 * number (which shifts when an earlier switch is removed), but by the
 * thread that reached it, its pending operation, the operation's site
 * (file:line:column) and the occurrence: how many points that thread had
 * reached at that operation and site so far, this one included. A switch at
 * a point with a choice is a preemption when the thread that reached it
 * could have gone on (enabled, and not yielding, spin-waiting or sleeping),
 * otherwise a hand-off. The schedule writer lists them (`switches`), the
 * CLI's schedule shrinker removes preemptions, and the guided strategy
 * follows the list it is given. */
typedef enum rc_switch_kind {
  RC_SWITCH_PREEMPT,
  RC_SWITCH_HANDOFF
} rc_switch_kind;

/* Called by the scheduler at every point, before the strategy picks:
 * counts the occurrence of the point `current` reached. */
void rc_switches_note_point(rc_thread *current);
/* Occurrence of the point being decided (1-based). */
uint64_t rc_switches_point_occurrence(void);
/* Called after a pick among n_enabled > 1 threads: spools a switch line
 * (schedule_writer.c), a preemption when `could_go_on`
 * (rc_point_current_may_go_on). */
void rc_switches_note_choice(rc_thread *current, rc_tid chosen,
                             bool could_go_on);
/* Preemptions of this run so far. */
uint64_t rc_switches_preemptions(void);
/* Does the thread give the processor up on its own here (yield, spin wait,
 * sleep)? Switching away there is no preemption. */
static inline bool rc_op_is_voluntary_switch(rc_op_kind kind) {
  return kind == RC_OP_YIELD || kind == RC_OP_SPIN_WAIT || kind == RC_OP_SLEEP;
}
/* Hash of a site's text "file:line:column" ("-" when unknown), the same
 * for every copy of a site descriptor. */
uint64_t rc_site_text_hash(const char *file, uint32_t line, uint32_t column);
uint64_t rc_site_pointer_hash(const rc_site *site); /* cached per pointer */
/* Key of (thread, operation, site text hash, occurrence) for lookups. */
uint64_t rc_point_key(rc_tid tid, rc_op_kind op, uint64_t site_hash,
                      uint64_t occurrence);
/* The operation as points count it: a thread that has not run yet starts. */
static inline rc_op_kind rc_point_op(rc_op_kind kind) {
  return kind == RC_OP_NONE ? RC_OP_THREAD_START : kind;
}
struct rc_out;
/* Writes "switches N" and its comment; the N switch lines follow from the
 * switches spool (docs/schedule-format.md). */
void rc_switches_write(struct rc_out *o);

/* ---- schedule_reader.c: guide files (option guide=PATH) ----
 * The switches the guided strategy makes: lines as in a schedule file's
 * `switches` section, between "racecheck-guide 1" and "end". */
typedef struct rc_guide_entry {
  rc_switch_kind kind;
  rc_tid from, to;
  rc_op_kind op;
  const char *file; /* "" when unknown */
  uint32_t line, column;
  uint64_t occurrence;
} rc_guide_entry;
void rc_guide_read(const char *path, rc_guide_entry **out, uint32_t *n_out);
/* The operation named by a schedule-file token, RC_OP_COUNT if none. */
rc_op_kind rc_op_from_token(const char *token);

/* ---- strategy_race_directed.c: the race-directed second phase ----
 * A target is one racy access pair seen in phase 1, to be reversed: the
 * first thread that reaches the `delay` site (the access that came first)
 * is paused right before it until another thread has passed the `until`
 * site (the access that came second), or until no other thread can run. */
typedef struct rc_race_target {
  const char *delay_file, *delay_function; /* "" when unknown */
  uint32_t delay_line, delay_column;
  const char *until_file, *until_function;
  uint32_t until_line, until_column;
  /* run state */
  enum { RC_RACE_ARMED, RC_RACE_PAUSED, RC_RACE_DONE } state;
  rc_tid paused;
  uint64_t paused_at_step; /* g_rt.steps when the pause began */
} rc_race_target;

/* Set while some target is armed or paused: checked by shadow.c on the
 * access slow path before it calls rc_race_access_point. */
extern bool rc_race_points_active;
/* sched/race_points.c: a plain access by the token holder at `site`
 * (before it happens) may pause the thread at a new scheduling point
 * (RC_OP_MEMORY_ACCESS). */
void rc_race_access_point(rc_thread *t, const void *addr, const rc_site *site);
/* Set from the option access_points (rc_select_strategy): checked on the
 * access slow path before it asks rc_shadow_shared. */
extern bool rc_access_points_active;
/* sched/race_points.c: a plain access by the token holder at `site` to a
 * location another thread touched (before it happens) is a scheduling point
 * (RC_OP_MEMORY_ACCESS); a write is progress for the livelock detector. */
void rc_shared_access_point(rc_thread *t, const void *addr, const rc_site *site,
                            bool write);
/* Header lines "phase 2" and "race_target ..." of a race-directed run. */
void rc_race_targets_write(struct rc_out *o);

/* schedule_reader.c: "race_target DELAY_SITE DELAY_FUNCTION UNTIL_SITE
 * UNTIL_FUNCTION" lines (sites FILE:LINE:COLUMN, tokens %-encoded), from a
 * targets file (between "racecheck-race-targets 1" and "end"). */
void rc_race_targets_read(const char *path, rc_race_target **out,
                          uint32_t *n_out);
/* The schedule being replayed (null when `options` replay none). */
const rc_schedule_file *rc_replay_schedule(const rc_options *options);

#endif /* RACECHECK_SCHEDULE_H */
