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
/* The major version: a reader refuses another major version and skips
 * entries it does not know within its own (forward compatible). */
#define RC_RECORD_FORMAT_VERSION 1

/* No upper bound on the number of fields (a list follows the id). */
#define RC_RECORD_FIELDS_ANY 0xffff

/* X(ID, "name", MIN_FIELDS, MAX_FIELDS, "FIELD ORDER"): the fields after the
 * name, MIN_FIELDS or MAX_FIELDS of them (the last ones optional, together),
 * or at least MIN_FIELDS when MAX_FIELDS is RC_RECORD_FIELDS_ANY. Within a
 * finding (`finding` ... `end`) come access, variable, waiter,
 * detail, count and thread-stat; the others stand alone. */
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
  X(LOCK_EDGE, "lock-edge", 12, 12,                                            \
    "TID HELD_LOCK HELD_SITE HELD_STACK HELD_MODE LOCK SITE STACK MODE WAIT "  \
    "HELD_LOCKSET FORK_JOIN_CLOCK")                                            \
  X(FINDING, "finding", 1, 1, "KIND")                                          \
  X(ACCESS, "access", 8, 8,                                                    \
    "ROLE TID TYPE ATOMIC SIZE SITE STACK LOCKSET")                            \
  X(VARIABLE, "variable", 1, RC_RECORD_FIELDS_ANY,                             \
    "KIND, then the kind's fields (RC_RECORD_VARIABLE_KINDS)")                 \
  X(WAITER, "waiter", 5, 6, "TID OPERATION OBJECT SITE STACK [LOCKSET]")       \
  X(DETAIL, "detail", 1, 1, "TEXT")                                            \
  X(COUNT, "count", 2, 2, "NAME VALUE")                                        \
  X(THREAD_STAT, "thread-stat", 4, 4,                                          \
    "TID ACQUISITIONS BYPASSES LONGEST_WAIT_STEPS")                            \
  X(END, "end", 0, 0, "")                                                      \
  X(END_RECORD, "end-record", 0, 0, "")

/* The kinds of a `variable` entry, X(ID, "kind", MIN_FIELDS, MAX_FIELDS,
 * "FIELD ORDER"), counting the kind itself as the first field. */
#define RC_RECORD_VARIABLE_KINDS(X)                                            \
  X(GLOBAL, "global", 6, 6, "global NAME FIELD OFFSET SIZE DECLARATION_SITE")  \
  X(HEAP, "heap", 6, 9,                                                        \
    "heap OFFSET SIZE TID SITE STACK [FREE_TID FREE_SITE FREE_STACK]")         \
  X(STACK, "stack", 2, 2, "stack TID")                                         \
  X(TLS, "tls", 2, 2, "tls TID")                                               \
  X(UNKNOWN, "unknown", 1, 1, "unknown")

enum rc_record_entry {
#define RC_RECORD_ENUM(id, name, min, max, fields) RC_RECORD_##id,
  RC_RECORD_ENTRIES(RC_RECORD_ENUM)
#undef RC_RECORD_ENUM
  RC_RECORD_ENTRY_COUNT
};

static inline const char *rc_record_entry_name(enum rc_record_entry entry) {
  switch (entry) {
#define RC_RECORD_NAME(id, name, min, max, fields)                             \
  case RC_RECORD_##id:                                                         \
    return name;
    RC_RECORD_ENTRIES(RC_RECORD_NAME)
#undef RC_RECORD_NAME
  case RC_RECORD_ENTRY_COUNT:
    break;
  }
  return "";
}

enum rc_record_variable_kind {
#define RC_RECORD_ENUM(id, name, min, max, fields) RC_RECORD_VARIABLE_##id,
  RC_RECORD_VARIABLE_KINDS(RC_RECORD_ENUM)
#undef RC_RECORD_ENUM
  RC_RECORD_VARIABLE_KIND_COUNT
};

static inline const char *
rc_record_variable_kind_name(enum rc_record_variable_kind kind) {
  switch (kind) {
#define RC_RECORD_NAME(id, name, min, max, fields)                             \
  case RC_RECORD_VARIABLE_##id:                                                \
    return name;
    RC_RECORD_VARIABLE_KINDS(RC_RECORD_NAME)
#undef RC_RECORD_NAME
  case RC_RECORD_VARIABLE_KIND_COUNT:
    break;
  }
  return "";
}

#endif /* RACECHECK_RECORD_FORMAT_H */
