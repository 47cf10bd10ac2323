// fork_server_client.h — racecheck's side of the runtime's fork server
// (runtime/src/core/fork_server.c, docs/fork-server.md): the program is started
// once with RACECHECK_OPTIONS fork_server=R,W and then runs one schedule per
// request, forked at main, instead of one exec per schedule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "program_runner.h"

namespace racecheck {

// One schedule: RACECHECK_OPTIONS-style options that override the
// server's (seed, record, schedule_out, ...) and the files for its standard
// streams ("" : the server's own).
struct ScheduleRequest {
  std::string options;
  std::string stdin_path;
  std::string stdout_path;
  std::string stderr_path;
};

// What the served child reported about its run besides its exit status.
struct ScheduleSummary {
  bool record_written = false;      // false: it ended before writing its record
  uint32_t findings = 0;            // the runtime's findings (not the analyzer's)
  bool lock_cycle_possible = true;  // its lock-order graph has a cycle
  int64_t exit_status = 0;          // as in the record's meta
  int64_t exit_signal = 0;
  uint64_t steps = 0;  // scheduling points
  uint64_t switches = 0;
  uint64_t fork_ns = 0;   // the server's fork() call
  uint64_t child_ns = 0;  // fork until the child was reaped
};

struct ScheduleExit {
  ProgramExit exit;
  std::optional<ScheduleSummary> summary;  // fork server runs only
};

class ForkServer {
 public:
  ForkServer() = default;
  ~ForkServer();
  ForkServer(const ForkServer &) = delete;
  ForkServer &operator=(const ForkServer &) = delete;

  // Starts `launch` (its runtime_options without fork_server) as a server
  // and waits until it is ready. False, with the reason in `why`, when it
  // refused (a constructor started a thread) or ended without serving (not
  // instrumented, an error before main).
  bool start(ProgramLaunch launch, std::string *why);
  // Sends one request; then receive() returns its result.
  bool send(const ScheduleRequest &request);
  // nullopt after a message when the server died or answered nonsense.
  std::optional<ScheduleExit> receive();

 private:
  void stop();
  int pid_ = -1;
  int request_fd_ = -1;   // our write end
  int response_fd_ = -1;  // our read end
  std::string pending_;   // bytes read past the last reply
};

// Whether the program (argv[0], searched in PATH when it has no '/') is a
// binary whose runtime can serve: it contains the server's greeting. False
// for programs that are not instrumented, scripts that start the real
// binary, and runtimes older than the fork server, none of which should be
// started an extra time as a server.
bool program_can_serve(const std::string &argv0);

// A request field must not hold a tab or newline (the protocol's
// separators); options must also pass is_valid_option_value per value.
bool is_valid_request_path(const std::string &path);

}  // namespace racecheck
