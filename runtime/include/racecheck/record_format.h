/* record_format.h — the run record's format, defined once: its header name
 * and version, and every entry with the number and order of its fields. The
 * runtime's writer (runtime/src/record/record_writer.c) takes the entry
 * names from here, and the analyzer's reader (analyzer/record_reader.cpp)
 * dispatches on this table and checks field counts from it; a unit test on
 * each side fails when that side writes or reads an entry the table does not
 * list, or misses one it lists. docs/record-format.md explains the fields.
 *
 * A record is text: the header line "racecheck-record<TAB>VERSION", then one
 * entry per line — its name, then its fields, each after a TAB (string
 * fields escape `\` as `\\`, TAB as `\t`, newline as `\n`) — and the closing
 * `end-record` line. Valid C11 and C++. */
#ifndef RACECHECK_RECORD_FORMAT_H
#define RACECHECK_RECORD_FORMAT_H

#define RC_RECORD_FORMAT_NAME "racecheck-record"
/* The major version: a reader refuses a newer major version and skips
 * entries it does not know within its own (forward compatible). Version 2
 * replaced the runtime's English (`detail` text, waiter object descriptions)
 * with structured fields (`cause`, wait-object references); readers still
 * read version 1 records (RC_RECORD_ENTRIES_V1). */
#define RC_RECORD_FORMAT_VERSION 2
#define RC_RECORD_FORMAT_OLDEST_VERSION 1

/* Appended to the record path for the record a program writes just before
 * it execs: the exec'd image, when instrumented, writes the path itself,
 * and a reader reports both. */
#define RC_RECORD_BEFORE_EXEC_SUFFIX ".exec"

/* A forked child writes its own record at the parent's record path plus
 * this suffix and its fork order (".child1" for the first fork), so a
 * grandchild's is "<record>.child1.child2"; its `meta process` says the
 * fork path ("1.2"). A reader reads the parent's and all of them. */
#define RC_RECORD_CHILD_SUFFIX ".child"

/* No upper bound on the number of fields (a list follows the id). */
#define RC_RECORD_FIELDS_ANY 0xffff

/* X(ID, "name", MIN_FIELDS, MAX_FIELDS, "FIELD ORDER"): the fields after the
 * name, MIN_FIELDS or MAX_FIELDS of them (the last ones optional, together),
 * or at least MIN_FIELDS when MAX_FIELDS is RC_RECORD_FIELDS_ANY. Within a
 * finding (`finding` ... `end`) come access, variable, waiter,
 * cause, count, thread-stat and fault (a crash by a fatal signal: the
 * trapping instruction's address, the load address of the module holding it
 * and that module's path; the analyzer symbolizes it); the others stand
 * alone. A waiter's OBJECT is
 * a wait-object reference, "KIND" or "KIND:VALUE" (RC_RECORD_WAIT_OBJECTS;
 * empty: it waits for nothing); version 1 wrote English there. */
#define RC_RECORD_ENTRIES(X)                                                   \
  X(META, "meta", 2, 2, "KEY VALUE")                                           \
  X(SITE, "site", 6, 6, "ID FILE FUNCTION LINE COLUMN INLINED_AT")             \
  X(STACK, "stack", 1, RC_RECORD_FIELDS_ANY,                                   \
    "ID FUNCTION_SITE:CALL_SITE... (innermost frame first)")                   \
  X(THREAD, "thread", 4, 4, "TID PARENT CREATE_SITE CREATE_STACK")             \
  X(LOCK, "lock", 7, 7, "ID KIND NAME SITE STACK CREATOR ORDINAL")             \
  X(LOCKSET, "lockset", 1, RC_RECORD_FIELDS_ANY,                               \
    "ID LOCK:ACQUIRE_SITE:ACQUIRE_STACK:MODE...")                              \
  X(FORK_JOIN_CLOCK, "fork-join-clock", 1, RC_RECORD_FIELDS_ANY,               \
    "ID CLOCK_OF_T0 CLOCK_OF_T1...")                                           \
  X(SYNC_ORDER_CLOCK, "sync-order-clock", 2, RC_RECORD_FIELDS_ANY,             \
    "ID VIA_LOCK CLOCK_OF_T0 CLOCK_OF_T1...")                                  \
  X(LOCK_EDGE, "lock-edge", 12, 13,                                            \
    "TID HELD_LOCK HELD_SITE HELD_STACK HELD_MODE LOCK SITE STACK MODE WAIT "  \
    "HELD_LOCKSET FORK_JOIN_CLOCK [SYNC_ORDER_CLOCK]")                         \
  X(FINDING, "finding", 1, 1, "KIND")                                          \
  X(ACCESS, "access", 8, 8, "ROLE TID TYPE ATOMIC SIZE SITE STACK LOCKSET")    \
  X(VARIABLE, "variable", 1, RC_RECORD_FIELDS_ANY,                             \
    "KIND, then the kind's fields (RC_RECORD_VARIABLE_KINDS)")                 \
  X(WAITER, "waiter", 5, 6, "TID OPERATION OBJECT SITE STACK [LOCKSET]")       \
  X(CAUSE, "cause", 1, RC_RECORD_FIELDS_ANY,                                   \
    "CAUSE, then the cause's fields (RC_RECORD_CAUSES)")                       \
  X(COUNT, "count", 2, 2, "NAME VALUE")                                        \
  X(THREAD_STAT, "thread-stat", 4, 4,                                          \
    "TID ACQUISITIONS BYPASSES LONGEST_WAIT_STEPS")                            \
  X(END, "end", 0, 0, "")                                                      \
  X(END_RECORD, "end-record", 0, 0, "")                                        \
  X(FAULT, "fault", 3, 3, "PC MODULE_BASE MODULE")

/* The kinds of a `variable` entry, X(ID, "kind", MIN_FIELDS, MAX_FIELDS,
 * "FIELD ORDER"), counting the kind itself as the first field. A mapping's
 * FILE is empty for anonymous memory (OFFSET is then within the mapping,
 * else within the file); SITE and STACK are its mmap call's. */
#define RC_RECORD_VARIABLE_KINDS(X)                                            \
  X(GLOBAL, "global", 6, 6, "global NAME FIELD OFFSET SIZE DECLARATION_SITE")  \
  X(HEAP, "heap", 6, 9,                                                        \
    "heap OFFSET SIZE TID SITE STACK [FREE_TID FREE_SITE FREE_STACK]")         \
  X(STACK, "stack", 2, 2, "stack TID")                                         \
  X(TLS, "tls", 2, 2, "tls TID")                                               \
  X(FD, "fd", 6, 6, "fd NUMBER FD_KIND TID SITE STACK")                        \
  X(MAPPING, "mapping", 7, 7, "mapping FILE OFFSET SIZE TID SITE STACK")       \
  X(UNKNOWN, "unknown", 1, 1, "unknown")

/* X(ID, "kind"): the FD_KIND of a `variable fd`, a race on a file
 * descriptor; TID, SITE and STACK say where it was created (TID and SITE
 * -1, STACK 0 and kind UNKNOWN when racecheck did not see that call). */
#define RC_RECORD_FD_KINDS(X)                                                  \
  X(UNKNOWN, "unknown")                                                        \
  X(FILE, "file")                                                              \
  X(PIPE, "pipe")                                                              \
  X(SOCKET, "socket")                                                          \
  X(EVENTFD, "eventfd")                                                        \
  X(EPOLL, "epoll")                                                            \
  X(TIMERFD, "timerfd")                                                        \
  X(SIGNALFD, "signalfd")

/* Entries only version 1 records have; readers still accept them. */
#define RC_RECORD_ENTRIES_V1(X) X(DETAIL, "detail", 1, 1, "TEXT")

/* What a finding's headline says, X(ID, "cause", MIN_FIELDS, MAX_FIELDS,
 * "FIELD ORDER"), counting the cause itself as the first field; the analyzer
 * composes the English. TIDs are thread ids, LOCKs record lock ids (-1:
 * none), SITE a record site id, SIGNAL a signal number. */
#define RC_RECORD_CAUSES(X)                                                    \
  X(DEADLOCK, "deadlock", 2, RC_RECORD_FIELDS_ANY,                             \
    "deadlock HEADLINE TID:HOLDER:HELD_LOCK:HELD_COUNT... (one per waiter, "   \
    "in order; HOLDER -1: none)")                                              \
  X(MAX_STEPS, "max-steps", 2, 5,                                              \
    "max-steps MAX_STEPS [WINDOW BUSIEST_SITE BUSIEST_COUNT]")                 \
  X(WATCHDOG, "watchdog", 3, 3, "watchdog TID SECONDS")                        \
  X(KERNEL_WAIT, "kernel-wait", 2, 2, "kernel-wait MILLISECONDS")              \
  X(LIVELOCK, "livelock", 3, 3, "livelock CYCLE_STEPS REPETITIONS")            \
  X(STARVATION, "starvation", 5, 5,                                            \
    "starvation TID BYPASSES WAITED_STEPS THRESHOLD")                          \
  X(TERMINATED, "terminated", 4, 4, "terminated TID SIGNAL REASON")            \
  X(STACK_OVERFLOW, "stack-overflow", 2, 2, "stack-overflow TID")              \
  X(SIGNAL, "signal", 3, 3, "signal TID SIGNAL")                               \
  X(MISUSE, "misuse", 6, 6,                                                    \
    "misuse CASE TID LOCK HOLDER OTHER_LOCK (RC_RECORD_MISUSE_CASES; HOLDER "  \
    "-1: none)")                                                               \
  X(SPIN, "spin", 5, RC_RECORD_FIELDS_ANY,                                     \
    "spin TID SITE CYCLE_STEPS REPETITIONS [WAITED_MS SIGNAL...] (WAITED_MS: " \
    "real time the spinner waited for a signal from outside, when a handler "  \
    "could have changed what it reads; SIGNALs: signals with a handler)")

/* X(ID, "headline"): the HEADLINE of a `cause deadlock`. */
#define RC_RECORD_DEADLOCK_HEADLINES(X)                                        \
  X(NO_PROGRESS, "no-progress")                                                \
  X(RELOCK, "relock")                                                          \
  X(ONCE_SELF, "once-self")                                                    \
  X(GUARD_SELF, "guard-self")

/* X(ID, "case"): the CASE of a `cause misuse`, a call the threads API
 * forbids (Helgrind's set): TID made it on LOCK (the object), HOLDER holds
 * LOCK, OTHER_LOCK is a second object involved (the other mutex of a
 * condition variable waited on with two). */
#define RC_RECORD_MISUSE_CASES(X)                                              \
  X(UNLOCK_NOT_HELD, "unlock-not-held")                                        \
  X(UNLOCK_OTHER, "unlock-other-thread")                                       \
  X(DESTROY_HELD, "destroy-held")                                              \
  X(DESTROY_WAITED, "destroy-waited")                                          \
  X(WAIT_NOT_HELD, "wait-not-held")                                            \
  X(WAIT_TWO_MUTEXES, "wait-two-mutexes")                                      \
  X(EXIT_HOLDING, "exit-holding")                                              \
  X(REINIT_IN_USE, "reinit-in-use")                                            \
  X(SEM_OVERFLOW, "sem-overflow")                                              \
  X(BARRIER_ZERO, "barrier-zero")

/* X(ID, "kind", "VALUE"): what a waiter waits for, the KIND of its OBJECT
 * "KIND[:VALUE]" (GLOBAL: the variable's name, absent when unknown). The
 * first row, the empty kind, is nothing. */
#define RC_RECORD_WAIT_OBJECTS(X)                                              \
  X(NONE, "", "")                                                              \
  X(LOCK, "lock", "LOCK")                                                      \
  X(THREAD, "thread", "TID")                                                   \
  X(OPERATION, "operation", "[GLOBAL] (a wait on no known object)")            \
  X(OBJECT, "object", "[GLOBAL]")                                              \
  X(FUTEX, "futex", "[GLOBAL]")                                                \
  X(ATOMIC, "atomic", "[GLOBAL]")                                              \
  X(SPIN, "spin", "[GLOBAL] (a spin lock on an atomic)")                       \
  X(IO, "io", "")                                                              \
  X(SCHEDULING_POINT, "scheduling-point", "")                                  \
  X(SIGNAL, "signal", "SIGNAL")                                                \
  X(SYSCALL, "syscall", "NUMBER (the system call, x86_64 numbering)")

/* X(ID, "kind"): the KIND of a `finding` entry. */
#define RC_RECORD_FINDING_KINDS(X)                                             \
  X(DATA_RACE, "data-race")                                                    \
  X(DEADLOCK, "deadlock")                                                      \
  X(LOCK_ORDER_CYCLE, "lock-order-cycle")                                      \
  X(LIVELOCK, "livelock")                                                      \
  X(STARVATION, "starvation")                                                  \
  X(CRASH, "crash")                                                            \
  X(HANG, "hang")                                                              \
  X(FAILURE, "failure")                                                        \
  X(OUTPUT_MISMATCH, "output-mismatch")                                        \
  X(MISUSE, "misuse")

/* X(ID, "key"): the KEY of a `meta` entry, in the order the writer writes
 * them; a reader keeps keys it does not know as they are. */
#define RC_RECORD_META_KEYS(X)                                                 \
  X(PROGRAM, "program")                                                        \
  X(SEED, "seed")                                                              \
  X(STRATEGY, "strategy")                                                      \
  X(EXIT_STATUS, "exit_status")                                                \
  X(EXIT_SIGNAL, "exit_signal")                                                \
  X(THREADS, "threads")                                                        \
  X(SCHEDULING_POINTS, "scheduling_points")                                    \
  X(SWITCHES, "switches")                                                      \
  X(IO_LEAVES, "io_leaves")                                                    \
  X(INSTRUMENTED_MODULES, "instrumented_modules")                              \
  X(ABI_VERSION, "abi_version")                                                \
  X(PROCESS, "process")

/* For each table: `enum TYPE` with one constant per row and COUNT after
 * them, and `TYPE_name()`, the row's name ("" for COUNT). */
#define RC_RECORD_VOCABULARY(type, table, enum_row, case_row, count)           \
  enum type { table(enum_row) count };                                         \
  static inline const char *type##_name(enum type value) {                     \
    switch (value) {                                                           \
    table(case_row) case count:                                                \
      break;                                                                   \
    }                                                                          \
    return "";                                                                 \
  }

#define RC_RECORD_ENTRY_ENUM_(id, ...) RC_RECORD_##id,
#define RC_RECORD_ENTRY_CASE_(id, name, ...)                                   \
  case RC_RECORD_##id: return name;
RC_RECORD_VOCABULARY(rc_record_entry, RC_RECORD_ENTRIES, RC_RECORD_ENTRY_ENUM_,
                     RC_RECORD_ENTRY_CASE_, RC_RECORD_ENTRY_COUNT)

#define RC_RECORD_VARIABLE_ENUM_(id, ...) RC_RECORD_VARIABLE_##id,
#define RC_RECORD_VARIABLE_CASE_(id, name, ...)                                \
  case RC_RECORD_VARIABLE_##id: return name;
RC_RECORD_VOCABULARY(rc_record_variable_kind, RC_RECORD_VARIABLE_KINDS,
                     RC_RECORD_VARIABLE_ENUM_, RC_RECORD_VARIABLE_CASE_,
                     RC_RECORD_VARIABLE_KIND_COUNT)

#define RC_RECORD_FD_ENUM_(id, name) RC_RECORD_FD_##id,
#define RC_RECORD_FD_CASE_(id, name)                                           \
  case RC_RECORD_FD_##id: return name;
RC_RECORD_VOCABULARY(rc_record_fd_kind, RC_RECORD_FD_KINDS, RC_RECORD_FD_ENUM_,
                     RC_RECORD_FD_CASE_, RC_RECORD_FD_KIND_COUNT)

#define RC_RECORD_FINDING_ENUM_(id, name) RC_RECORD_FINDING_##id,
#define RC_RECORD_FINDING_CASE_(id, name)                                      \
  case RC_RECORD_FINDING_##id: return name;
RC_RECORD_VOCABULARY(rc_record_finding_kind, RC_RECORD_FINDING_KINDS,
                     RC_RECORD_FINDING_ENUM_, RC_RECORD_FINDING_CASE_,
                     RC_RECORD_FINDING_KIND_COUNT)

#define RC_RECORD_META_ENUM_(id, name) RC_RECORD_META_##id,
#define RC_RECORD_META_CASE_(id, name)                                         \
  case RC_RECORD_META_##id: return name;
RC_RECORD_VOCABULARY(rc_record_meta_key, RC_RECORD_META_KEYS,
                     RC_RECORD_META_ENUM_, RC_RECORD_META_CASE_,
                     RC_RECORD_META_KEY_COUNT)

#define RC_RECORD_CAUSE_ENUM_(id, ...) RC_RECORD_CAUSE_##id,
#define RC_RECORD_CAUSE_CASE_(id, name, ...)                                   \
  case RC_RECORD_CAUSE_##id: return name;
RC_RECORD_VOCABULARY(rc_record_cause, RC_RECORD_CAUSES, RC_RECORD_CAUSE_ENUM_,
                     RC_RECORD_CAUSE_CASE_, RC_RECORD_CAUSE_COUNT)

#define RC_RECORD_HEADLINE_ENUM_(id, name) RC_RECORD_HEADLINE_##id,
#define RC_RECORD_HEADLINE_CASE_(id, name)                                     \
  case RC_RECORD_HEADLINE_##id: return name;
RC_RECORD_VOCABULARY(rc_record_deadlock_headline, RC_RECORD_DEADLOCK_HEADLINES,
                     RC_RECORD_HEADLINE_ENUM_, RC_RECORD_HEADLINE_CASE_,
                     RC_RECORD_HEADLINE_COUNT)

#define RC_RECORD_MISUSE_ENUM_(id, name) RC_RECORD_MISUSE_##id,
#define RC_RECORD_MISUSE_CASE_(id, name)                                       \
  case RC_RECORD_MISUSE_##id: return name;
RC_RECORD_VOCABULARY(rc_record_misuse_case, RC_RECORD_MISUSE_CASES,
                     RC_RECORD_MISUSE_ENUM_, RC_RECORD_MISUSE_CASE_,
                     RC_RECORD_MISUSE_COUNT)

#define RC_RECORD_WAIT_ENUM_(id, ...) RC_RECORD_WAIT_##id,
#define RC_RECORD_WAIT_CASE_(id, name, ...)                                    \
  case RC_RECORD_WAIT_##id: return name;
RC_RECORD_VOCABULARY(rc_record_wait_object, RC_RECORD_WAIT_OBJECTS,
                     RC_RECORD_WAIT_ENUM_, RC_RECORD_WAIT_CASE_,
                     RC_RECORD_WAIT_OBJECT_COUNT)

#endif /* RACECHECK_RECORD_FORMAT_H */
