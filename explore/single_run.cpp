// single_run.cpp — see single_run.h.
#include "single_run.h"

#include <chrono>

#include <sys/stat.h>

#include <filesystem>
#include <iostream>
#include <set>

#include "deadlock_confirmation.h"
#include "exit_status.h"
#include "finding_files.h"
#include "fingerprint.h"
#include "program_runner.h"
#include "racecheck/record_format.h"
#include "runtime_options.h"
#include "shrink_phase.h"

namespace racecheck {
namespace {

namespace fs = std::filesystem;

bool file_exists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

int SingleRun::run() {
  if (!scratch_.create()) return kExitError;
  if (!choose_record_path()) return kExitError;
  schedule_path_ = scratch_.path() + "/run.schedule";
  schedule_possible_ = is_valid_option_value(schedule_path_);
  settings_.seed = options_.seed;
  settings_.spurious_wakeups = spurious_wakeups_for(options_, options_.seed.value_or(0));
  settings_.access_points = access_points_for(options_, /*exploring=*/false);
  if (!strategy_settings(options_, runner_, scratch_, settings_)) return kExitError;
  if (schedule_possible_) settings_.schedule_out = schedule_path_;
  settings_.record = record_path_;
  ProgramLaunch launch{options_.command, "", build_options_string(settings_)};
  launch.stdin_path = options_.stdin_path;
  auto begin = std::chrono::steady_clock::now();
  outcome_ = run_once(runner_, launch, record_path_, temporary_record_);
  run_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return outcome_.ok ? 0 : outcome_.exit_code;
}

// Where the record goes, and whether it is removed afterwards.
bool SingleRun::choose_record_path() {
  if (!options_.record_path.empty()) {
    record_path_ = options_.record_path;
    // Its directory is made now: found missing only when the program ends,
    // the run's findings would have nowhere to go.
    fs::path dir = fs::path(record_path_).parent_path();
    std::error_code ec;
    if (!dir.empty()) fs::create_directories(dir, ec);
    if (ec) {
      std::cerr << "racecheck: error: cannot create the directory " << dir.string()
                << " for --record: " << ec.message() << "\n";
      return false;
    }
  } else if (options_.keep_record) {
    std::string name = fs::path(options_.command[0]).filename().string() + ".seed" +
                       std::to_string(options_.seed.value_or(0)) + ".record";
    if (!prepare_output_file("racecheck-out", name)) return false;
    record_path_ = "racecheck-out/" + name;
  } else {
    record_path_ = scratch_.path() + "/run.record";
    temporary_record_ = true;
  }
  if (!is_valid_option_value(record_path_)) {
    std::cerr << "racecheck: error: the record path '" << record_path_
              << "' must not contain ':' or blanks (they separate RACECHECK_OPTIONS)\n";
    return false;
  }
  // Never mistake an old record for this run's.
  std::error_code ec;
  fs::remove(record_path_, ec);
  fs::remove(record_path_ + RC_RECORD_BEFORE_EXEC_SUFFIX, ec);
  remove_child_records(record_path_);
  return true;
}

bool SingleRun::shrink_and_confirm() {
  // Asked to stop (^C, SIGTERM): the run's findings are reported as found,
  // without starting runs that could take as long as the one interrupted.
  if (termination_signal()) return true;
  Record &record = outcome_.record;
  if (!record.findings.empty() && outcome_.children.empty() && !outcome_.before_exec &&
      shrinkable(options_, record) && schedule_possible_ && file_exists(schedule_path_)) {
    std::multiset<std::string> wanted;
    for (const Finding &f : record.findings) wanted.insert(finding_fingerprint(record, f));
    Reproduces same_findings = [&](const Record &candidate) {
      std::multiset<std::string> found;
      for (const Finding &f : candidate.findings) found.insert(finding_fingerprint(candidate, f));
      return found == wanted;
    };
    shrink_note_ =
        shrink_run_schedule(context_, settings_, "shrink", "the run's findings", run_seconds_,
                            nullptr, same_findings, schedule_path_, record);
  }
  return !options_.confirm || options_.confirm_attempts == 0 || confirm_cycles();
}

// Directed schedules for the potential deadlocks of the run; the confirming
// schedules go to the output directory as finding-N-deadlock.schedule.
bool SingleRun::confirm_cycles() {
  ConfirmationSettings confirmation;
  confirmation.attempts = options_.confirm_attempts;
  confirmation.total_attempts = options_.confirm_total;
  confirmation.scratch_dir = scratch_.path();
  confirmation.keep_schedule = [&](const std::string &schedule, size_t number) -> std::string {
    return files_.keep(schedule, "finding-" + std::to_string(number) + "-deadlock.schedule");
  };
  const std::string record_path = scratch_.path() + "/directed.record";
  DirectedRun directed_run = [&](uint64_t seed, const std::string &targets,
                                 const std::string &schedule) -> std::optional<Record> {
    if (termination_signal()) return std::nullopt;
    RuntimeSettings settings;
    settings.seed = seed;
    settings.strategy = "directed";
    settings.preempt_budget = settings_.preempt_budget;
    settings.directed_targets = targets;
    settings.schedule_out = schedule;
    settings.record = record_path;
    std::error_code ec;
    fs::remove(record_path, ec);
    remove_child_records(record_path);
    ProgramLaunch launch{options_.command, "", build_options_string(settings),
                         /*detached_io=*/true};
    launch.stdin_path = options_.stdin_path;
    RunOutcome run = run_once(runner_, launch, record_path, true);
    if (!run.ok) {
      std::cerr << "racecheck: error: the directed run (seed " << seed
                << ") that tries to confirm a potential deadlock failed\n";
      return std::nullopt;
    }
    return std::move(run.record);
  };
  if (!is_valid_option_value(scratch_.path())) return true;  // cannot name the files
  return confirm_lock_order_cycles(outcome_.record, confirmation, directed_run);
}

std::string SingleRun::save_schedule() {
  if ((outcome_.record.findings.empty() && outcome_.children.empty()) || !schedule_possible_ ||
      !file_exists(schedule_path_))
    return "";
  return files_.save(schedule_path_);
}

}  // namespace racecheck
