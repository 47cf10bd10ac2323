// schedule_outcome.cpp — see schedule_outcome.h.
#include "schedule_outcome.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>

#include "exit_status.h"
#include "lock_graph.h"
#include "racecheck/record_format.h"
#include "record_reader.h"
#include "runtime_settings.h"
#include "scratch_dir.h"
#include "suppressions.h"

namespace racecheck {
namespace {

// Why no record was there to read.
void explain_missing_record(const ProgramExit &exit, bool runtime_speaks) {
  if (exit.signal)
    std::cerr << "racecheck: error: the program was killed by signal " << signal_text(exit.signal)
              << " before racecheck could write its run record\n";
  else if (runtime_speaks && exit.status == kExitError)
    ;  // the runtime printed the reason
  else if (exit.status != 0)
    // The runtime refuses bad options and reports its own fatal errors
    // before any record exists; do not blame the build for those.
    std::cerr << "racecheck: error: no run record was written and the program exited with status "
              << exit.status
              << ": either it is not instrumented with racecheck (build it with "
                 "`racecheck cc`/`racecheck c++`) or the racecheck runtime stopped it early (see "
                 "its messages above)\n";
  else
    std::cerr << "racecheck: error: the program is not instrumented with racecheck (no run record "
                 "was written); build it with `racecheck cc` or `racecheck c++`\n";
}

// A number >= 1 at the front of `text`, removed; nullopt when there is none.
std::optional<uint64_t> take_number(std::string_view &text) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || n == 0 || end == text.data()) return std::nullopt;
  text.remove_prefix(size_t(end - text.data()));
  return n;
}

// The sort key of a child record's name after "<record>": ".child1.child2"
// is {1, 1, 2, 1}: each fork order, then which image of that child wrote it
// ("+K": the K-th instrumented program a child started through a shell ran,
// or the image a child exec'd after writing its own findings; 1 without).
// nullopt for any other name.
std::optional<std::vector<uint64_t>> fork_path_of(std::string_view suffix) {
  const std::string_view child = RC_RECORD_CHILD_SUFFIX;
  std::vector<uint64_t> path;
  while (!suffix.empty()) {
    if (suffix.substr(0, child.size()) != child) return std::nullopt;
    suffix.remove_prefix(child.size());
    std::optional<uint64_t> order = take_number(suffix);
    if (!order) return std::nullopt;
    path.push_back(*order);
    std::optional<uint64_t> image = 1;
    if (!suffix.empty() && suffix[0] == '+') {
      suffix.remove_prefix(1);
      if (!(image = take_number(suffix))) return std::nullopt;
    }
    path.push_back(*image);
  }
  if (path.empty()) return std::nullopt;
  return path;
}

}  // namespace

std::vector<std::string> child_record_paths(const std::string &record_path) {
  namespace fs = std::filesystem;
  const fs::path record(record_path);
  const std::string base = record.filename().string();
  std::vector<std::pair<std::vector<uint64_t>, std::string>> found;
  std::error_code ec;
  fs::path dir = record.has_parent_path() ? record.parent_path() : fs::path(".");
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= base.size() || name.compare(0, base.size(), base) != 0) continue;
    if (auto path = fork_path_of(std::string_view(name).substr(base.size())))
      found.emplace_back(std::move(*path), it->path().string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> paths;
  for (auto &entry : found) paths.push_back(std::move(entry.second));
  return paths;
}

void remove_child_records(const std::string &record_path) {
  for (const std::string &path : child_record_paths(record_path)) ::unlink(path.c_str());
}

RunOutcome collect_outcome(const ProgramExit &exit, const std::string &record_path,
                           bool temporary_record, bool runtime_speaks) {
  RunOutcome outcome;
  outcome.program_status = exit.status;
  if (!exit.started) {
    outcome.exit_code = exit.status;
    return outcome;
  }
  struct stat st;
  // An exec replaced the program after it wrote a record: that record is
  // the run's when the new image wrote none, else reported beside it.
  const std::string exec_path = record_path + RC_RECORD_BEFORE_EXEC_SUFFIX;
  bool before_exec = ::stat(exec_path.c_str(), &st) == 0;
  if (::stat(record_path.c_str(), &st) != 0 && before_exec) {
    outcome = collect_outcome(exit, exec_path, temporary_record, runtime_speaks);
    ::unlink(exec_path.c_str());
    return outcome;
  }
  if (::stat(record_path.c_str(), &st) != 0) {
    outcome.exit_code = kExitError;
    explain_missing_record(exit, runtime_speaks);
    return outcome;
  }
  try {
    outcome.record = read_record_file(record_path);
  } catch (const RecordError &e) {
    std::cerr << "racecheck: error: " << e.what() << "\n";
    if (temporary_record)
      std::cerr << "racecheck: (the program exited with status " << exit.status << ")\n";
    outcome.exit_code = kExitError;
    return outcome;
  }
  // A forked child with findings writes its own record next to ours.
  for (const std::string &child_path : child_record_paths(record_path)) {
    try {
      outcome.children.push_back(read_record_file(child_path));
    } catch (const RecordError &e) {
      std::cerr << "racecheck: error: " << e.what() << "\n";
    }
  }
  if (before_exec) {
    try {
      outcome.before_exec = read_record_file(exec_path);
    } catch (const RecordError &e) {
      std::cerr << "racecheck: error: " << e.what() << "\n";
    }
    ::unlink(exec_path.c_str());
  }
  outcome.ok = true;
  return outcome;
}

RunOutcome run_once(ProgramRunner &runner, const ProgramLaunch &launch,
                    const std::string &record_path, bool temporary_record, bool runtime_speaks) {
  return collect_outcome(runner.run(launch), record_path, temporary_record, runtime_speaks);
}

void analyze_schedule_record(Record &record, bool single_thread_inversions,
                             Suppressions *suppressions) {
  LockOrderOptions lock_order;
  lock_order.single_thread = single_thread_inversions;
  add_lock_order_findings(record, lock_order);
  if (suppressions) suppressions->apply(record);
}

bool wants_step_estimate(const RunOptions &options) {
  return options.strategy && options.strategy->rfind("pct", 0) == 0 && !options.pct_steps;
}

std::optional<StepEstimate> estimate_steps(const RunOptions &options, bool access_points,
                                           ProgramRunner &runner, const ScratchDir &scratch) {
  RuntimeSettings settings;
  settings.seed = 0;
  settings.strategy = options.strategy;
  settings.preempt_budget = options.preempt_budget;
  settings.access_points = access_points;
  settings.record = scratch.path() + "/estimate.record";
  ProgramLaunch launch{options.command, "", build_options_string(settings), /*detached_io=*/true};
  launch.stdin_path = options.stdin_path;
  RunOutcome run = run_once(runner, launch, settings.record, true);
  if (!run.ok) {
    std::cerr << "racecheck: error: the run that measures PCT's step count (seed 0, output "
                 "discarded) failed; give --pct-steps\n";
    return std::nullopt;
  }
  return StepEstimate{std::max<uint64_t>(run.record.meta.scheduling_points, 1),
                      std::max<uint64_t>(run.record.meta.threads, 1)};
}

bool strategy_settings(const RunOptions &options, ProgramRunner &runner, const ScratchDir &scratch,
                       RuntimeSettings &settings, std::optional<StepEstimate> *estimate) {
  settings.strategy = options.strategy;
  settings.preempt_budget = options.preempt_budget;
  settings.pct_steps = options.pct_steps;
  if (!wants_step_estimate(options)) return true;
  std::optional<StepEstimate> measured =
      estimate_steps(options, settings.access_points, runner, scratch);
  if (!measured) return false;
  settings.pct_steps = measured->steps;
  if (estimate) *estimate = measured;
  return true;
}

}  // namespace racecheck
