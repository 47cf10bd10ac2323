// schedule_shrinker.h — shrinking a finding's schedule to the fewest
// preemptions that still reproduce the finding, before its schedule file is
// written (`racecheck run`, single runs and explorations; never replays).
//
// A schedule file lists the run's thread switches (docs/schedule-format.md,
// `switches`), each identified robustly by (thread, operation, site,
// occurrence) rather than by step number. The shrinker runs the program
// under the runtime's "guided" strategy (runtime/src/sched/strategy_guided.c),
// which makes the switches of a guide file and otherwise never preempts,
// with subsets of the preemptions (hand-offs, the choices made where the
// running thread could not go on, are always kept as hints): first none at
// all, then delta debugging (Zeller & Hildebrandt, "Simplifying and
// Isolating Failure-Inducing Input", IEEE TSE 2002) over the list,
// removing complements of ever smaller chunks down to one preemption at a
// time, within a bounded number of runs. The accepted candidate with the
// fewest measured preemptions (its own schedule's count) wins; its schedule
// file, whose header says `shrunk_from N`, becomes the finding's.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "record.h"

namespace racecheck {

// The `preemptions` header value and the `switches` section of a schedule
// file, each switch line verbatim. Throws ScheduleError when malformed.
struct ScheduleSwitches {
  uint64_t preemptions = 0;
  std::vector<std::string> preempts;  // "preempt T0 mutex_lock a.c:3:5 1 T1"
  std::vector<std::string> handoffs;
};
ScheduleSwitches read_schedule_switches(const std::string &path);

// The text of a guide file (runtime option guide=PATH) with these switches.
std::string guide_file_text(const std::vector<std::string> &handoffs,
                            const std::vector<std::string> &preempts);

// One candidate run under the guided strategy: the guide file, where its
// schedule goes (the run may keep its output next to it, at
// schedule_out + ".stdout"/".stderr"), and the preemption count the header
// records as shrunk_from. Returns the analysed record, or nullopt when the
// run failed (the shrinker then stops and keeps the original schedule).
using GuidedRun = std::function<std::optional<Record>(
    const std::string &guide_path, const std::string &schedule_out, uint64_t shrunk_from)>;
// Does a candidate's record still have the finding(s) being shrunk?
using Reproduces = std::function<bool(const Record &)>;

struct ShrinkSettings {
  uint64_t max_attempts = 50;  // candidate runs at most
  // No candidate starts once the candidates ran this many scheduling points
  // in all (0: no limit). Counted in points, not seconds, so the same
  // exploration shrinks to the same schedule however loaded the machine is.
  uint64_t step_budget = 0;
  // A safety net for candidates much slower than their points suggest (real
  // I/O, sleeps outside virtual time): no candidate starts after this many
  // seconds (0: no limit). Far above what the step budget allows normally.
  double time_budget_seconds = 0;
  std::string scratch_dir;      // guide and candidate schedule files
  std::string name = "shrink";  // file name stem, distinct per shrink in one dir
};

struct ShrinkResult {
  uint64_t preemptions_before = 0;
  uint64_t preemptions_after = 0;  // == before when nothing better was found
  uint64_t attempts = 0;           // candidate runs made
  bool out_of_steps = false;       // the step budget stopped it
  bool out_of_time = false;        // the wall-clock safety net stopped it
  uint64_t steps = 0;              // scheduling points the candidates ran
  double seconds = 0;              // spent shrinking
  std::string schedule;            // the accepted candidate's schedule, "" if none
  std::optional<Record> record;    // its record
};

ShrinkResult shrink_schedule(const std::string &schedule_path, const ShrinkSettings &settings,
                             const GuidedRun &run, const Reproduces &reproduces);

// "schedule shrunk from 7 to 1 preemption(s)", "" when nothing was shrunk.
std::string shrink_note(const ShrinkResult &result);

}  // namespace racecheck
