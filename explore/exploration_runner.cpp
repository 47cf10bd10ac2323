// exploration_runner.cpp — fork servers with a fallback to exec per
// schedule (see exploration_runner.h).
#include "exploration_runner.h"

#include <chrono>
#include <iostream>

namespace racecheck {

ExplorationRunner::ExplorationRunner(std::vector<std::string> argv, std::string common_options,
                                     size_t jobs, bool use_fork_server)
    : argv_(std::move(argv)), common_options_(std::move(common_options)),
      jobs_(jobs == 0 ? 1 : jobs), want_servers_(use_fork_server) {}

ExplorationRunner::~ExplorationRunner() {
  servers_.clear();  // closes their request pipes: they exit
  signals_.reset();
}

void ExplorationRunner::start_servers() {
  started_ = true;
  if (!want_servers_ || argv_.empty() || !program_can_serve(argv_[0])) return;
  signals_ = std::make_unique<SignalForwardingScope>();
  for (size_t k = 0; k < jobs_; ++k) {
    auto server = std::make_unique<ForkServer>();
    std::string why;
    ProgramLaunch launch;
    launch.argv = argv_;
    // Several servers: slot k + 1 pins server k to its own CPU (fork_server_pin); a single
    // server lets each child stay on the CPU it starts on.
    launch.runtime_options = common_options_;
    if (jobs_ > 1) launch.runtime_options += ":fork_server_slot=" + std::to_string(k + 1);
    if (!server->start(launch, &why)) {
      std::cerr << "racecheck: note: no fork server (" << why
                << "); running one process per schedule\n";
      servers_.clear();
      signals_.reset();
      return;
    }
    servers_.push_back(std::move(server));
  }
}

std::vector<ScheduleExit>
ExplorationRunner::exec_batch(const std::vector<ScheduleRequest> &requests) {
  std::vector<ProgramLaunch> launches;
  for (const ScheduleRequest &r : requests)
    launches.push_back(schedule_launch(argv_, common_options_, r));
  std::vector<ScheduleExit> results;
  for (const ProgramExit &exit : launch_all_and_wait(launches))
    results.push_back({exit, std::nullopt});
  return results;
}

std::vector<ScheduleExit>
ExplorationRunner::run_batch(const std::vector<ScheduleRequest> &requests) {
  if (!started_) start_servers();
  auto begin = std::chrono::steady_clock::now();
  std::vector<ScheduleExit> results;
  if (servers_.empty()) {
    results = exec_batch(requests);
  } else {
    // All requests first, so the servers' children run in parallel.
    for (size_t k = 0; k < requests.size(); ++k)
      if (!servers_[k]->send(requests[k])) return {};
    for (size_t k = 0; k < requests.size(); ++k) {
      std::optional<ScheduleExit> result = servers_[k]->receive();
      if (!result) return {};
      const ScheduleSummary &s = *result->summary;
      timing_.fork_seconds += double(s.fork_ns) * 1e-9;
      timing_.child_seconds += double(s.child_ns) * 1e-9;
      timing_.switches += s.switches;
      timing_.steps += s.steps;
      results.push_back(std::move(*result));
    }
  }
  timing_.batch_seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  timing_.schedules += requests.size();
  return results;
}

bool ExplorationRunner::serving() const { return !servers_.empty(); }

void ExplorationRunner::print_timing(std::ostream &out) const {
  const ExplorationTiming &t = timing_;
  if (t.schedules == 0) return;
  auto per = [&](double seconds) { return 1e6 * seconds / double(t.schedules); };
  out << "racecheck: timing: " << t.schedules << " schedules, "
      << (serving() ? "fork server" : "one process per schedule") << "; per schedule (us): running "
      << per(t.batch_seconds);
  if (serving())
    out << ", of which fork " << per(t.fork_seconds) << ", child lifetime " << per(t.child_seconds)
        << "; switches " << double(t.switches) / double(t.schedules) << ", scheduling points "
        << double(t.steps) / double(t.schedules);
  out << "\n";
}

}  // namespace racecheck
