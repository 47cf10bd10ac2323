// schedule_runner.cpp — see schedule_runner.h.
#include "schedule_runner.h"

#include "exploration_runner.h"

namespace racecheck {
namespace {

// One schedule after another, each by ProgramRunner::run.
class SequentialBatches : public ScheduleBatches {
 public:
  SequentialBatches(ProgramRunner &runner, std::vector<std::string> argv, std::string common)
      : runner_(runner), argv_(std::move(argv)), common_(std::move(common)) {}

  std::vector<ScheduleExit> run_batch(const std::vector<ScheduleRequest> &requests) override;

 private:
  ProgramRunner &runner_;
  std::vector<std::string> argv_;
  std::string common_;
};

std::vector<ScheduleExit>
SequentialBatches::run_batch(const std::vector<ScheduleRequest> &requests) {
  std::vector<ScheduleExit> exits;
  for (const ScheduleRequest &request : requests)
    exits.push_back({runner_.run(schedule_launch(argv_, common_, request)), std::nullopt});
  return exits;
}

}  // namespace

std::unique_ptr<ScheduleBatches> ProgramRunner::start_batches(const std::vector<std::string> &argv,
                                                              const std::string &common_options,
                                                              size_t, bool) {
  return std::make_unique<SequentialBatches>(*this, argv, common_options);
}

ProgramLaunch schedule_launch(const std::vector<std::string> &argv,
                              const std::string &common_options, const ScheduleRequest &request) {
  ProgramLaunch launch;
  launch.argv = argv;
  launch.runtime_options = common_options + ":" + request.options;
  launch.stdin_path = request.stdin_path;
  launch.stdout_path = request.stdout_path;
  launch.stderr_path = request.stderr_path;
  return launch;
}

ProgramExit ProcessRunner::run(const ProgramLaunch &launch) { return launch_and_wait(launch); }

std::unique_ptr<ScheduleBatches> ProcessRunner::start_batches(const std::vector<std::string> &argv,
                                                              const std::string &common_options,
                                                              size_t jobs, bool fork_server) {
  return std::make_unique<ExplorationRunner>(argv, common_options, jobs, fork_server);
}

}  // namespace racecheck
