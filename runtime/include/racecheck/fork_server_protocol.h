/* fork_server_protocol.h — the fork server's protocol, defined once: the
 * greeting, the request line, the status line and the page a served child
 * shares with the server. The runtime's server
 * (runtime/src/core/fork_server.c) and the command's client
 * (fork_server_client.cpp) both use it; docs/fork-server.md explains the
 * exchange. Valid C11 and C++. */
#ifndef RACECHECK_FORK_SERVER_PROTOCOL_H
#define RACECHECK_FORK_SERVER_PROTOCOL_H

#include <stdint.h>

#define RC_FORK_SERVER_PROTOCOL_VERSION 1

/* The server's first line: "GREETING VERSION ready", or
 * "GREETING VERSION refused: WHY" when it cannot serve. The greeting also
 * marks a program whose runtime can serve (the client looks for it in the
 * executable). */
#define RC_FORK_SERVER_GREETING "racecheck-fork-server"
#define RC_FORK_SERVER_READY "ready"
#define RC_FORK_SERVER_REFUSED "refused: "

/* A request, one line: "run" then TAB-separated stdin, stdout and stderr
 * paths ("-": inherited) and RACECHECK_OPTIONS-style options that override
 * the server's. */
#define RC_FORK_SERVER_RUN "run"
#define RC_FORK_SERVER_REQUEST_FIELDS 5
#define RC_FORK_SERVER_INHERITED "-"
#define RC_FORK_SERVER_REQUEST_MAX 16384 /* bytes, newline included */

/* The answer to a request: "error WHY", or the status line with, in this
 * order: the wait status, record written (0/1), findings, lock-order cycle
 * possible (0/1), exit status, exit signal, scheduling points, switches,
 * nanoseconds to fork and nanoseconds until the child ended. The format
 * serves both printf (server) and scanf (client). */
#define RC_FORK_SERVER_STATUS_FORMAT                                           \
  "status %d %u %u %u %d %d %llu %llu %llu %llu"
#define RC_FORK_SERVER_STATUS_FIELDS 10
#define RC_FORK_SERVER_ERROR "error "

/* What a served child tells the server about its run, through a page shared
 * by all children (one runs at a time): the client skips reading the record
 * of a schedule without findings. */
typedef struct rc_fork_summary {
  uint32_t written; /* 1 once the child wrote its record */
  uint32_t findings;
  uint32_t lock_cycle; /* its lock-order graph has a cycle (the analyzer
                          may find a lock-order-cycle finding) */
  int32_t exit_status;
  int32_t exit_signal;
  uint64_t steps;
  uint64_t switches;
  uint32_t watchdog_in_child; /* the child runs its own watchdog thread */
} rc_fork_summary;

#define RC_FORK_SERVER_PAGE_SIZE 4096

#ifdef __cplusplus
static_assert(sizeof(rc_fork_summary) <= RC_FORK_SERVER_PAGE_SIZE,
              "the summary fits the shared page");
#else
_Static_assert(sizeof(rc_fork_summary) <= RC_FORK_SERVER_PAGE_SIZE,
               "the summary fits the shared page");
#endif

#endif /* RACECHECK_FORK_SERVER_PROTOCOL_H */
