// race_directed_phase.cpp — see race_directed_phase.h.
#include "race_directed_phase.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "race_directed.h"
#include "scratch_dir.h"

namespace racecheck {
namespace {

namespace fs = std::filesystem;

// The distinct race targets of phase 1's findings, sorted.
std::vector<RaceTarget> phase1_targets(const ExplorationResult &result) {
  std::vector<RaceTarget> targets;
  for (const ExploredFinding &m : result.findings) {
    RaceTarget target;
    if (race_target_for(m.first_record, m.first_record.findings[0], target))
      targets.push_back(std::move(target));
  }
  sort_race_targets(targets);
  return targets;
}

// Merges the findings of one phase-2 run (its files at `stem`.*).
void merge_phase2_run(const RunContext &context, const Record &record, const std::string &stem,
                      const RuntimeSettings &settings, const RaceTarget &target,
                      FindingFiles &files, FindingMerge &merge) {
  std::set<std::string> keys;  // one sighting per key and schedule, as in phase 1
  for (const Finding &finding : record.findings) {
    std::string key = merge_key(record, finding);
    if (!keys.insert(key).second) continue;
    ExploredFinding *m = merge.add(key, 1, /*phase=*/2);
    if (!m) continue;
    m->first_record = record;
    m->first_record.findings = {finding};
    m->first_seed = *settings.seed;
    m->race_target = target.description;
    struct stat st;
    if (::stat(settings.schedule_out.c_str(), &st) == 0)
      m->schedule = files.save(settings.schedule_out);
    if (context.options.compare_output && !m->schedule.empty()) {
      std::string output = files.keep_output(fs::path(m->schedule).stem().string(),
                                             stem + ".stdout", stem + ".stderr");
      if (!output.empty()) {
        m->stdout_path = output + ".stdout";
        m->stderr_path = output + ".stderr";
      }
    }
  }
}

}  // namespace

bool run_race_directed_phase(const RunContext &context, RuntimeSettings settings,
                             const ReferenceRun *reference, FindingFiles &files,
                             FindingMerge &merge, ExplorationResult &result) {
  const RunOptions &options = context.options;
  const std::string stem = context.scratch.path() + "/phase2";
  result.phase2_schedules = 0;
  for (const RaceTarget &target : phase1_targets(result)) {
    {
      std::ofstream out(stem + ".targets", std::ios::binary | std::ios::trunc);
      out << race_targets_file_text(target);
      if (!out) return false;
    }
    for (uint64_t j = 0; j < options.race_directed_schedules; ++j) {
      settings.seed = result.first_seed + j;
      settings.spurious_wakeups = spurious_wakeups_for(options, result.first_seed + j);
      settings.strategy = "race-directed";
      settings.race_targets = stem + ".targets";
      settings.schedule_out = stem + ".schedule";
      settings.record = stem + ".record";
      std::error_code ec;
      for (const char *suffix : {".record", ".schedule"}) fs::remove(stem + suffix, ec);
      remove_child_records(settings.record);
      ProgramLaunch launch{options.command, "", build_options_string(settings),
                           /*detached_io=*/!options.compare_output};
      launch.stdin_path = options.stdin_path;
      if (options.compare_output) {
        launch.stdout_path = stem + ".stdout";
        launch.stderr_path = stem + ".stderr";
      }
      RunOutcome run = run_once(context.runner, launch, settings.record, true);
      if (!run.ok) {
        std::cerr << "racecheck: error: the race-directed run (seed " << *settings.seed
                  << ", reversing " << target.description << ") failed\n";
        return false;
      }
      ++*result.phase2_schedules;
      analyze_schedule_record(run.record, options.single_thread_inversions,
                              options.suppressions.get());
      if (reference && options.compare_output && ended_normally(run.record))
        if (std::optional<Finding> failure =
                compare_with_reference(*reference, run.record, read_text_file(stem + ".stdout")))
          run.record.findings.push_back(std::move(*failure));
      merge_phase2_run(context, run.record, stem, settings, target, files, merge);
    }
  }
  return true;
}

}  // namespace racecheck
