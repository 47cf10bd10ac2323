// shrink_phase.cpp — see shrink_phase.h.
#include "shrink_phase.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "finding_merge.h"
#include "program_runner.h"
#include "runtime_options.h"
#include "schedule_file.h"
#include "scratch_dir.h"

namespace racecheck {

namespace fs = std::filesystem;

bool shrinkable(const RunOptions &options, const Record &record) {
  if (!options.shrink || options.shrink_attempts == 0) return false;
  // A hang used up max_steps: every candidate would run as long.
  for (const Finding &f : record.findings)
    if (f.kind == FindingKind::Hang) return false;
  return true;
}

uint64_t shrink_step_budget(uint64_t found_steps) {
  return std::max<uint64_t>(1000000, 20 * found_steps);
}

double shrink_time_budget(double found_seconds) { return std::max(60.0, 20 * found_seconds); }

namespace {

uint64_t original_preemptions(const std::string &schedule) {
  try {
    return read_schedule_switches(schedule).preemptions;
  } catch (const ScheduleError &) {
    return 0;
  }
}

// Runs the program with `settings` (its record path set); with a reference,
// its output goes to `output` + ".stdout"/".stderr" and a run that ends
// normally is compared with the reference (failures, output mismatches).
// The analysed record, or nullopt when the run failed.
std::optional<Record> run_compared(const RunContext &context, const RuntimeSettings &settings,
                                   const std::string &output, const ReferenceRun *reference) {
  std::error_code ec;
  fs::remove(settings.record, ec);
  remove_child_records(settings.record);
  ProgramLaunch launch{context.options.command, "", build_options_string(settings),
                       /*detached_io=*/reference == nullptr};
  launch.stdin_path = context.options.stdin_path;
  if (reference) {
    launch.stdout_path = output + ".stdout";
    launch.stderr_path = output + ".stderr";
  }
  RunOutcome run = run_once(context.runner, launch, settings.record, true);
  if (!run.ok) return std::nullopt;
  analyze_schedule_record(run.record, context.options.single_thread_inversions,
                          context.options.suppressions.get());
  if (reference && ended_normally(run.record))
    if (std::optional<Finding> failure =
            compare_with_reference(*reference, run.record, read_text_file(output + ".stdout")))
      run.record.findings.push_back(std::move(*failure));
  return std::move(run.record);
}

// Replays `schedule` once (its own header decides strategy, seed and
// budgets): does that run show the finding? `why_not` says what it did
// instead.
bool replays_to_finding(const RunContext &context, const std::string &name,
                        const std::string &schedule, const ReferenceRun *reference,
                        const Reproduces &reproduces, std::string &why_not) {
  RuntimeSettings settings;
  settings.replay = schedule;
  settings.record = context.scratch.path() + "/" + name + ".replay.record";
  std::optional<Record> record =
      run_compared(context, settings, context.scratch.path() + "/" + name + ".replay", reference);
  if (!record) {
    why_not = "the replay failed";
    return false;
  }
  if (reproduces(*record)) return true;
  why_not = "the replay reported " + std::to_string(record->findings.size()) + " other finding(s)";
  return false;
}

}  // namespace

std::string shrink_run_schedule(const RunContext &context, const RuntimeSettings &base,
                                const std::string &name, const std::string &what,
                                double found_seconds, const ReferenceRun *reference,
                                const Reproduces &reproduces, std::string &schedule,
                                Record &record) {
  const RunOptions &options = context.options;
  const uint64_t original_steps = record.meta.scheduling_points;
  GuidedRun guided_run = [&](const std::string &guide, const std::string &schedule_out,
                             uint64_t shrunk_from) -> std::optional<Record> {
    if (termination_signal()) return std::nullopt;  // asked to stop: keep what was found
    RuntimeSettings settings = base;
    settings.strategy = "guided";
    settings.guide = guide;
    if (is_valid_option_value(record.meta.strategy)) settings.guided_base = record.meta.strategy;
    settings.schedule_out = schedule_out;
    settings.shrunk_from = shrunk_from;
    // A candidate that loops where the original did not is cut short (and
    // rejected: a hang is another finding), not left to run max_steps.
    settings.max_steps = std::max<uint64_t>(4 * original_steps, 100000);
    settings.record = context.scratch.path() + "/" + name + ".record";
    return run_compared(context, settings, schedule_out, reference);
  };
  ShrinkSettings settings;
  settings.max_attempts = options.shrink_attempts;
  settings.step_budget = shrink_step_budget(original_steps);
  settings.time_budget_seconds =
      options.shrink_time_limit > 0 ? options.shrink_time_limit : shrink_time_budget(found_seconds);
  settings.scratch_dir = context.scratch.path();
  settings.name = name;
  // One line per phase, terminal or not; no timings unless the budget
  // stopped it, so the same exploration prints the same lines.
  std::cerr << "racecheck: shrinking the schedule of " << what << " ("
            << original_preemptions(schedule) << " preemption(s))\n";
  ShrinkResult result = shrink_schedule(schedule, settings, guided_run, reproduces);
  std::cerr << "racecheck: shrinking " << what << ": " << result.preemptions_before << " -> "
            << result.preemptions_after << " preemption(s) in " << result.attempts << " run(s)";
  if (result.out_of_steps)
    std::cerr << ", stopped by its budget of " << settings.step_budget
              << " scheduling points (20x the finding run, at least 1,000,000)";
  else if (result.out_of_time)
    std::cerr << ", stopped by its time limit of " << std::fixed << std::setprecision(1)
              << settings.time_budget_seconds << " s" << std::defaultfloat;
  std::cerr << "\n";
  if (result.schedule.empty()) return "";
  std::string why_not;
  if (!replays_to_finding(context, name, result.schedule, reference, reproduces, why_not)) {
    std::cerr << "racecheck: the shrunk schedule of " << what << " did not replay to the same "
              << "finding (" << why_not << "); keeping the schedule as found\n";
    return "";
  }
  std::cerr << "racecheck: the shrunk schedule of " << what << " replayed to the same finding\n";
  Meta found_by = record.found_by ? *record.found_by : record.meta;
  schedule = result.schedule;
  record = std::move(*result.record);
  record.found_by = std::move(found_by);
  return shrink_note(result);
}

void shrink_explored_findings(const RunContext &context, RuntimeSettings base,
                              const ReferenceRun *reference,
                              std::vector<ExploredFinding> &findings) {
  const RunOptions &options = context.options;
  for (size_t i = 0; i < findings.size(); ++i) {
    ExploredFinding &m = findings[i];
    // A phase-2 finding needs its race-directed access point, which guided
    // runs do not make: kept as found.
    if (m.schedule.empty() || m.phase == 2 || !shrinkable(options, m.first_record)) continue;
    base.seed = m.first_seed;
    base.spurious_wakeups = spurious_wakeups_for(options, m.first_seed);
    auto matching = [&](const Record &candidate) -> const Finding * {
      for (const Finding &f : candidate.findings)
        if (merge_key(candidate, f) == m.key) return &f;
      return nullptr;
    };
    std::string schedule = m.schedule;
    Record record = m.first_record;
    std::string note = shrink_run_schedule(
        context, base, "shrink" + std::to_string(i + 1), "finding " + std::to_string(i + 1),
        m.found_seconds, options.compare_output ? reference : nullptr,
        [&](const Record &candidate) { return matching(candidate) != nullptr; }, schedule, record);
    if (note.empty()) continue;
    std::error_code ec;
    fs::copy_file(schedule, m.schedule, fs::copy_options::overwrite_existing, ec);
    if (ec) continue;  // keep the unshrunk schedule and report
    Finding finding = *matching(record);
    record.findings = {finding};
    m.first_record = std::move(record);
    if (!m.stdout_path.empty()) {
      fs::copy_file(schedule + ".stdout", m.stdout_path, fs::copy_options::overwrite_existing, ec);
      fs::copy_file(schedule + ".stderr", m.stderr_path, fs::copy_options::overwrite_existing, ec);
    }
    m.shrink_note = note;
  }
}

}  // namespace racecheck
