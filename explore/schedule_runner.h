// schedule_runner.h — how the exploration engine runs the program under
// test. The engine only ever asks a ProgramRunner: run the program once with
// these RACECHECK_OPTIONS, or run the seeds of exploration's first phase in
// batches. ProcessRunner does it for real (fork/exec, fork servers); unit
// tests drive the engine with a fake program that writes the files the
// runtime would.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "fork_server_client.h"
#include "program_runner.h"

namespace racecheck {

// The schedules of exploration's first phase, a batch at a time: each
// request's options are appended to the options the batches started with
// (later ones win).
class ScheduleBatches {
 public:
  virtual ~ScheduleBatches() = default;
  // Runs the requests at once; exit i belongs to requests[i]. Empty after a
  // message when the runner itself failed (a fork server died).
  virtual std::vector<ScheduleExit> run_batch(const std::vector<ScheduleRequest> &requests) = 0;
  // Whether the schedules are forked by fork servers (their exits then carry
  // a summary and a schedule that ends early writes no record).
  virtual bool serving() const { return false; }
  // `run --timing`: where the time went.
  virtual void print_timing(std::ostream &) const {}
};

class ProgramRunner {
 public:
  virtual ~ProgramRunner() = default;
  // Runs the program once and waits for it.
  virtual ProgramExit run(const ProgramLaunch &launch) = 0;
  // Starts the batches of an exploration of `argv` with `common_options`,
  // up to `jobs` schedules at once, through fork servers when
  // `fork_server` allows. This default runs them one after another by run().
  virtual std::unique_ptr<ScheduleBatches> start_batches(const std::vector<std::string> &argv,
                                                         const std::string &common_options,
                                                         size_t jobs, bool fork_server);
};

// The launch of one schedule of a batch.
ProgramLaunch schedule_launch(const std::vector<std::string> &argv,
                              const std::string &common_options, const ScheduleRequest &request);

// The real thing: fork/exec (program_runner.h), fork servers for the
// exploration's batches (exploration_runner.h).
class ProcessRunner final : public ProgramRunner {
 public:
  ProgramExit run(const ProgramLaunch &launch) override;
  std::unique_ptr<ScheduleBatches> start_batches(const std::vector<std::string> &argv,
                                                 const std::string &common_options, size_t jobs,
                                                 bool fork_server) override;
};

}  // namespace racecheck
