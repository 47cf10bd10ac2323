// finding_text.h — the English of what the runtime records as data: a
// finding's cause (the `cause` entry) becomes its first detail, a waiter's
// object reference ("lock:3", "thread:1", "signal:6") its object text.
// The wording, and the lengths the runtime's fixed buffers once cut it to,
// are those of the records that carried the runtime's own English, so
// reports and fingerprints read the same from either.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "record.h"

namespace racecheck {

// A cause or object reference whose fields do not fit its table row.
struct FindingTextError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// How a lock reads: "mutex `m`", "mutex created at a.c:12", "mutex #2 of
// T1"; "an unknown object" when the record does not know it.
std::string lock_text(const Record &record, int lock);

// What a waiter waits for, from its record OBJECT "KIND[:VALUE]" and its
// operation: "mutex `m`", "thread T1", "pthread_join on worker", "real
// I/O", "SIGSEGV"; empty for nothing.
// What a deadlock's or hang's thread was doing: blocked (it waits for
// something), runnable (a hang's thread that waits for nothing: it loops
// through scheduling points) or running (it stopped reaching them).
enum class WaiterState { Blocked, Runnable, Running };
WaiterState waiter_state(const Waiter &waiter);
const char *waiter_state_name(WaiterState state);

std::string wait_object_text(const Record &record, const std::string &operation,
                             const std::string &object);

// The headline detail of `finding` from its `cause` entry's fields (the
// cause first); the waiters' objects are already English.
std::string cause_text(const Record &record, const Finding &finding,
                       const std::vector<std::string> &cause);

// A descriptor a race is on: "file descriptor 5 (pipe)", its kind left
// out when unknown.
std::string fd_text(const Variable &variable);

}  // namespace racecheck
