/* schedule_format.h — the grammar of the text files the runtime and the
 * racecheck command exchange about schedules, defined once: schedule files,
 * guide files, race-target files and directed-target files. Header names
 * and format versions, header keys in the order they are written, and line
 * keywords. The runtime's writer and readers (runtime/src/record/
 * schedule_writer.c, schedule_reader.c, runtime/src/sched/
 * directed_targets.c, schedule_switches.c, strategy_race_directed.c) and the
 * command's readers and writers (schedule_file.cpp, race_directed.cpp,
 * deadlock_confirmation.cpp, schedule_shrinker.cpp) use these names;
 * docs/schedule-format.md explains them. Tokens and "quoted" strings are
 * encoded as in racecheck/text_encoding.h. Valid C11 and C++. */
#ifndef RACECHECK_SCHEDULE_FORMAT_H
#define RACECHECK_SCHEDULE_FORMAT_H

#define RC_FORMAT_STRINGIFY_(x) #x
#define RC_FORMAT_STRINGIFY(x) RC_FORMAT_STRINGIFY_(x)

/* ---- lines common to every file ---- */
#define RC_SCHEDULE_COMMENT '#' /* a line starting with it is skipped */
#define RC_SCHEDULE_END "end"   /* the last line of every file */
#define RC_SCHEDULE_NONE "-"    /* no site, no function */

/* ---- schedule files: "racecheck-schedule 2", keys, decisions, end ---- */
#define RC_SCHEDULE_FORMAT_NAME "racecheck-schedule"
/* Version 2 lists only the decisions where the thread that reached the
 * point did not go on; version 1 (still read) listed every point with a
 * choice. */
#define RC_SCHEDULE_FORMAT_VERSION 2
#define RC_SCHEDULE_FORMAT_VERSION_OLDEST 1

/* Header keys, one "KEY VALUE" line each, in this order. Required: */
#define RC_SCHEDULE_KEY_TOOL "tool"
#define RC_SCHEDULE_KEY_BINARY "binary"     /* a binary identity, below */
#define RC_SCHEDULE_KEY_PROGRAM "program"   /* "quoted" */
#define RC_SCHEDULE_KEY_ARG "arg"           /* "quoted"; zero or more */
#define RC_SCHEDULE_KEY_STRATEGY "strategy" /* "quoted" */
#define RC_SCHEDULE_KEY_SEED "seed"
#define RC_SCHEDULE_KEY_PREEMPT_BUDGET "preempt_budget"
#define RC_SCHEDULE_KEY_PCT_DEPTH "pct_depth"
#define RC_SCHEDULE_KEY_PCT_STEPS "pct_steps"
#define RC_SCHEDULE_KEY_MAX_STEPS "max_steps" /* optional (older files) */
#define RC_SCHEDULE_KEY_STEPS "steps"
/* Optional, in any order between steps and decisions (older files lack
 * them): */
#define RC_SCHEDULE_KEY_FAIR "fair"
#define RC_SCHEDULE_KEY_LIVELOCK_REPEATS "livelock_repeats"
#define RC_SCHEDULE_KEY_PREEMPTIONS "preemptions"
#define RC_SCHEDULE_KEY_SHRUNK_FROM "shrunk_from"
#define RC_SCHEDULE_KEY_GUIDED_BASE "guided_base" /* a token */
#define RC_SCHEDULE_KEY_SPURIOUS_WAKEUPS "spurious_wakeups"
#define RC_SCHEDULE_KEY_ACCESS_POINTS "access_points"
#define RC_SCHEDULE_KEY_PHASE "phase"
#define RC_SCHEDULE_KEY_RACE_PAUSE_STEPS "race_pause_steps"
#define RC_SCHEDULE_KEY_RANDOM_DECAY_STEPS "random_decay_steps"
#define RC_SCHEDULE_KEY_STEP_NS "step_ns"
#define RC_SCHEDULE_KEY_EARLY_WAKE_STEPS "early_wake_steps"
#define RC_SCHEDULE_KEY_RACE_TARGET                                            \
  "race_target" /* as in race-target files                                     \
                 */
/* "decisions N", then N lines "STEP T<tid> OPERATION FILE:LINE|-" (the
 * points where another thread than the one that reached it was chosen): */
#define RC_SCHEDULE_KEY_DECISIONS "decisions"
#define RC_SCHEDULE_DECISIONS_COMMENT "# step thread operation site"
#define RC_SCHEDULE_THREAD_PREFIX 'T'
/* "switches N", then N switch lines (as in guide files), then "end": */
#define RC_SCHEDULE_KEY_SWITCHES "switches"

/* Binary identities: the ELF build-id, or FNV-1a of the executable's bytes
 * (16 hex digits). */
#define RC_BINARY_IDENTITY_BUILD_ID "build-id:"
#define RC_BINARY_IDENTITY_FNV1A64 "fnv1a64:"

/* ---- guide files: "racecheck-guide 1", switch lines, end ----
 * A switch line: "preempt|handoff T<from> OPERATION FILE:LINE:COLUMN|-
 * OCCURRENCE T<to>" (the file a token). */
#define RC_GUIDE_FORMAT_NAME "racecheck-guide"
#define RC_GUIDE_FORMAT_VERSION 1
#define RC_GUIDE_HEADER                                                        \
  RC_GUIDE_FORMAT_NAME " " RC_FORMAT_STRINGIFY(RC_GUIDE_FORMAT_VERSION)
#define RC_GUIDE_PREEMPT "preempt"
#define RC_GUIDE_HANDOFF "handoff"

/* ---- race-target files: "racecheck-race-targets 1", target lines, end ----
 * "race_target DELAY_SITE DELAY_FUNCTION UNTIL_SITE UNTIL_FUNCTION", sites
 * FILE:LINE:COLUMN or "-", the file and the functions tokens ("-": none).
 * A race-directed schedule's header has "phase 2", "race_pause_steps N"
 * and the same race_target lines. */
#define RC_RACE_TARGETS_FORMAT_NAME "racecheck-race-targets"
#define RC_RACE_TARGETS_FORMAT_VERSION 1
#define RC_RACE_TARGETS_HEADER                                                 \
  RC_RACE_TARGETS_FORMAT_NAME                                                  \
  " " RC_FORMAT_STRINGIFY(RC_RACE_TARGETS_FORMAT_VERSION)
#define RC_RACE_DIRECTED_PHASE 2

/* ---- directed-target files (strategy "directed") ----
 * Comment lines, then one TAB-separated line per step of a lock-order
 * cycle: "target TID FILE LINE" then the wanted and the held lock (NAME FILE
 * LINE CREATOR ORDINAL each) and OCCURRENCE: RC_DIRECTED_TARGET_FIELDS
 * fields, the keyword included. No escaping: the command does not write a
 * target whose strings hold a TAB or a newline. */
#define RC_DIRECTED_TARGET_KEYWORD "target"
#define RC_DIRECTED_LOCK_KEY_FIELDS 5
#define RC_DIRECTED_TARGET_FIELDS (5 + 2 * RC_DIRECTED_LOCK_KEY_FIELDS)
#define RC_DIRECTED_TARGETS_COMMENT                                            \
  "# racecheck directed targets: thread, request position, wanted lock, "      \
  "held lock, occurrence"

#endif /* RACECHECK_SCHEDULE_FORMAT_H */
