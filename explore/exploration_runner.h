// exploration_runner.h — runs the schedules of `racecheck run --schedules`:
// by default through fork servers (one per --jobs slot; fork_server_client.h),
// else, or when the program cannot be served, one exec per schedule. Both
// give the same records, schedule files and outputs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fork_server_client.h"
#include "program_runner.h"
#include "schedule_runner.h"

namespace racecheck {

// Where an exploration's time went (racecheck run --timing).
struct ExplorationTiming {
  uint64_t schedules = 0;
  double batch_seconds = 0;  // sending requests / starting programs until all ended
  double fork_seconds = 0;   // fork server: the fork() calls
  double child_seconds = 0;  // fork server: fork until the child was reaped
  uint64_t switches = 0;     // summed over served schedules
  uint64_t steps = 0;
};

class ExplorationRunner : public ScheduleBatches {
 public:
  // `common_options`: RACECHECK_OPTIONS shared by every schedule; each
  // request's options are appended (later ones win).
  ExplorationRunner(std::vector<std::string> argv, std::string common_options, size_t jobs,
                    bool use_fork_server);
  ~ExplorationRunner() override;

  // Runs up to `jobs` schedules at once; result i belongs to requests[i].
  // Empty after a message when a fork server failed.
  std::vector<ScheduleExit> run_batch(const std::vector<ScheduleRequest> &requests) override;

  bool serving() const override;
  const ExplorationTiming &timing() const { return timing_; }
  // `run --timing`: where the exploration's time went (bench/explore_rate.py).
  void print_timing(std::ostream &out) const override;

 private:
  void start_servers();
  std::vector<ScheduleExit> exec_batch(const std::vector<ScheduleRequest> &requests);

  std::vector<std::string> argv_;
  std::string common_options_;
  size_t jobs_;
  bool want_servers_;
  bool started_ = false;
  std::vector<std::unique_ptr<ForkServer>> servers_;
  std::unique_ptr<SignalForwardingScope> signals_;
  ExplorationTiming timing_;
};

}  // namespace racecheck
