// shrink_phase.cpp — see shrink_phase.h.
#include "shrink_phase.h"

#include <algorithm>
#include <filesystem>

#include "finding_merge.h"
#include "program_runner.h"
#include "runtime_options.h"
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

std::string shrink_run_schedule(const RunContext &context, const RuntimeSettings &base,
                                const std::string &name, const ReferenceRun *reference,
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
    std::error_code ec;
    fs::remove(settings.record, ec);
    remove_child_records(settings.record);
    ProgramLaunch launch{options.command, "", build_options_string(settings),
                         /*detached_io=*/reference == nullptr};
    launch.stdin_path = options.stdin_path;
    if (reference) {
      launch.stdout_path = schedule_out + ".stdout";
      launch.stderr_path = schedule_out + ".stderr";
    }
    RunOutcome run = run_once(context.runner, launch, settings.record, true);
    if (!run.ok) return std::nullopt;
    analyze_schedule_record(run.record, options.single_thread_inversions);
    if (reference && ended_normally(run.record))
      if (std::optional<Finding> failure = compare_with_reference(
              *reference, run.record, read_text_file(schedule_out + ".stdout")))
        run.record.findings.push_back(std::move(*failure));
    return std::move(run.record);
  };
  ShrinkSettings settings;
  settings.max_attempts = options.shrink_attempts;
  settings.scratch_dir = context.scratch.path();
  settings.name = name;
  ShrinkResult result = shrink_schedule(schedule, settings, guided_run, reproduces);
  if (result.schedule.empty()) return "";
  schedule = result.schedule;
  record = std::move(*result.record);
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
        context, base, "shrink" + std::to_string(i + 1),
        options.compare_output ? reference : nullptr,
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
