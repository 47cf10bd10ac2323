// gdb_replay.h — `racecheck replay --gdb`: replays a schedule under gdb and
// stops at the finding (the second racing access, the request closing a
// deadlock, a livelock cycle's first step, a crash's faulting instruction),
// in the finding's thread and the user's frame, the other threads parked by
// the scheduler. The runtime calls __racecheck_debug_stop() where the
// options debug_stop_finding / debug_stop_step say; gdb breaks there.
#pragma once

#include <string>
#include <vector>

#include "record.h"

namespace racecheck {

struct GdbReplay {
  std::string program;            // executable to debug
  std::vector<std::string> args;  // its arguments after argv[0]
  std::string runtime_options;    // RACECHECK_OPTIONS of the replay
  std::string stdin_path;         // the recorded input, or ""
  std::string scratch;            // directory for the gdb script
  bool rr = false;                // record the replay with rr instead
};

// Where the first finding of `record` that a debugger can stop at is, as
// extra runtime options ("debug_stop_finding=K" or "debug_stop_step=N"; ""
// for a crash, where gdb stops at the signal). False with a message when no
// finding can be stopped at.
bool debug_stop_options(const Record &record, std::string &options, std::string &what);

// Whether rr can record here: it records /bin/true once (its trace under
// `scratch`). False with `why` (rr's own error) when rr is missing or cannot
// record, as on a machine or container without hardware performance
// counters.
bool rr_can_record(const std::string &scratch, std::string &why);

// Runs gdb (or rr) on the replay; returns its exit status, or 2 when it
// cannot be started.
int run_under_gdb(const GdbReplay &replay, const std::string &what);

}  // namespace racecheck
