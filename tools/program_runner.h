// program_runner.h — starting an instrumented program once and waiting for it,
// the way system(3) does: the terminal's ^C/^\ reach the program, SIGTERM and
// SIGHUP sent to racecheck are forwarded, so the program still exits through
// the runtime and writes its record. Shared by `run` (one run or many
// schedules) and `replay`.
#pragma once

#include <string>
#include <vector>

namespace racecheck {

struct ProgramLaunch {
  std::vector<std::string> argv;  // as the program sees it; argv[0] included
  std::string executable;         // path to execute; empty: search argv[0] in PATH
  std::string runtime_options;    // the RACECHECK_OPTIONS value
  // stdin, stdout and stderr on /dev/null: a run made only to measure the
  // program, whose output the user did not ask for and which must not eat
  // the input meant for the real run.
  bool detached_io = false;
  // When set, the program's stdout / stderr go to these files (created or
  // truncated): `run --schedules` keeps each schedule's output apart.
  std::string stdout_path;
  std::string stderr_path;
};

struct ProgramExit {
  bool started = false;  // false: could not start (a message was printed)
  int status = 0;        // exit status, or 128 + signal
  int signal = 0;        // terminating signal, 0 when it exited
};

ProgramExit launch_and_wait(const ProgramLaunch &launch);

// "11 (SIGSEGV)"
std::string signal_text(int sig);

}  // namespace racecheck
