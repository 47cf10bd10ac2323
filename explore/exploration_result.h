// exploration_result.h — the result of exploring many schedules (`racecheck
// run --schedules/--seed-range`) or of merging the JSON reports of several
// explorations (`racecheck merge`): the distinct findings, merged by
// fingerprint in order of first appearance, each with where it was first
// seen. Writers render it (exploration_json.h, exploration_text.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "record.h"
#include "run_options.h"

namespace racecheck {

struct ExploredFinding {
  std::string key;  // what sightings merge on (finding_merge.h)
  int phase = 1;    // 2: found by the race-directed second phase
  uint64_t first_seed = 0;
  uint64_t seen_in = 0;                  // schedules that showed it (of its phase)
  std::string schedule;                  // finding-N.schedule of the first sighting, or ""
  std::string stdout_path, stderr_path;  // that schedule's kept output, or ""
  std::string race_target;               // phase 2: the race it reversed ("a.c:12 before b.c:30")
  std::string shrink_note;               // "schedule shrunk from 7 to 1 preemption(s)", or ""
  // Exploring: the record of its first sighting, with only this finding,
  // and how long that run took (0: unknown).
  Record first_record;
  double found_seconds = 0;
  // The finding as the reports show it: its JSON object (without the fields
  // above) and its block of the text report.
  nlohmann::ordered_json report;
  std::string report_text;
};

// What a PCT exploration's schedules guarantee (Burckhardt et al. ASPLOS'10):
// a schedule run with change points spread over k_i >= every step count
// seen finds a given bug of depth d in a program of n threads with
// probability >= 1/(n k_i^(d-1)).
struct PctBound {
  uint64_t depth = 3;    // d
  uint64_t threads = 0;  // n: the most seen in a run
  uint64_t steps = 0;    // the most scheduling points seen in a run
  // k_i of each schedule, for those whose k_i covered its own steps
  std::vector<uint64_t> schedule_steps;
  // 1 - prod(1 - 1/(n k_i^(d-1))) over the schedules whose k_i >= steps.
  double confidence() const;
  // Schedules that count towards confidence().
  uint64_t schedules_counted() const;
};

struct ExplorationResult {
  uint64_t schedules = 0;  // of phase 1
  uint64_t first_seed = 0;
  std::string strategy;
  bool stopped_early = false;  // --stop-on-first stopped before the last seed
  // The ^C/SIGTERM/SIGHUP that stopped the exploration early; 0 : none.
  int interrupted_by = 0;
  // Schedules of the race-directed phase; unknown for merged reports, which
  // do not carry it.
  std::optional<uint64_t> phase2_schedules;
  std::vector<ExploredFinding> findings;
  std::optional<PctBound> pct;  // strategy pct: the probability bound
};

// Fills `report` and `report_text` from `first_record`.
void describe_finding(ExploredFinding &finding);

// Does a finding of `kind` fail the run (exit status 66, --stop-on-first)?
// `options.fail_on`, by default every kind but `output-mismatch`.
bool fails_on(const RunOptions &options, FindingKind kind);
// Does `record` hold a finding that fails the run?
bool has_failing_finding(const RunOptions &options, const Record &record);

}  // namespace racecheck
