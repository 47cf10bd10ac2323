// program_runner.h — starting an instrumented program once and waiting for it,
// the way system(3) does: the terminal's ^C/^\ reach the program, SIGTERM and
// SIGHUP sent to racecheck are forwarded, so the program still exits through
// the runtime and writes its record. Shared by `run` (one run or many
// schedules, several at once with --jobs) and `replay`.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
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
  // When set, the program reads stdin from this file (a snapshot of
  // racecheck's input, so every schedule reads the same).
  std::string stdin_path;
  // Descriptors handed to the program: {racecheck's fd, the program's fd}
  // (the control pipes of a fork server).
  std::vector<std::pair<int, int>> inherited_fds;
};

struct ProgramExit {
  bool started = false;  // false: could not start (a message was printed)
  int status = 0;        // exit status, or 128 + signal
  int signal = 0;        // terminating signal, 0 when it exited
};

ProgramExit launch_and_wait(const ProgramLaunch &launch);

// The most programs launch_all_and_wait starts at once (`run --jobs`).
constexpr size_t kMaxParallelPrograms = 64;

// Starts every program at once and waits for all of them; result i belongs
// to launches[i]. Signals are handled as by launch_and_wait and forwarded to
// every running program.
std::vector<ProgramExit> launch_all_and_wait(const std::vector<ProgramLaunch> &launches);

// Starts the program without waiting for it; -1 after a message. Used for
// fork servers, which racecheck talks to while they run.
int start_program_only(const ProgramLaunch &launch);

// While it lives, racecheck behaves as while waiting for a program: ^\ is
// ignored (it reaches the programs), ^C, SIGTERM and SIGHUP are noted
// (termination_signal) and forwarded to the running programs and the
// processes passed to forward_signals_to.
class SignalForwardingScope {
 public:
  SignalForwardingScope();
  ~SignalForwardingScope();
  SignalForwardingScope(const SignalForwardingScope &) = delete;
  SignalForwardingScope &operator=(const SignalForwardingScope &) = delete;
};
// The first ^C, SIGTERM or SIGHUP racecheck received while it waited for
// programs or held a SignalForwardingScope; 0 : none. An exploration stops
// at it and reports what it found so far.
int termination_signal();
// Adds (pid > 0) or removes (-pid) a process SIGTERM/SIGHUP are forwarded
// to; at most kMaxParallelPrograms at once.
void forward_signals_to(int pid);

// The ProgramExit for a waitpid status.
ProgramExit exit_from_wait_status(int status);

// "11 (SIGSEGV)"
std::string signal_text(int sig);

}  // namespace racecheck
