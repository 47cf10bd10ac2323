// schedule_outcome.h — the outcome of one run of the program: how it ended
// and the run record its runtime wrote (and a forked child's), read and
// analysed for lock-order cycles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "program_runner.h"
#include "record.h"
#include "run_options.h"
#include "schedule_runner.h"

namespace racecheck {

class ScratchDir;
struct RuntimeSettings;

// What every run of one `racecheck run` shares: its options, how programs
// are run, and the scratch directory for records and schedules.
struct RunContext {
  const RunOptions &options;
  ProgramRunner &runner;
  const ScratchDir &scratch;
};

struct RunOutcome {
  bool ok = false;    // a record was written and read
  int exit_code = 0;  // when !ok: racecheck's exit status
  int program_status = 0;
  Record record;
  // The records of forked children that found something, in fork-path
  // order (RC_RECORD_CHILD_SUFFIX); each one's meta.process says which.
  std::vector<Record> children;
  // The record written just before an exec, when the exec'd image wrote the
  // record itself (else it is `record`).
  std::optional<Record> before_exec;
};

// Reads the record the run left at `record_path` (and its forked children's,
// and the one written before an exec, RC_RECORD_BEFORE_EXEC_SUFFIX).
// `runtime_speaks`: when the runtime stopped the program with status 2
// before writing a record (a rejected schedule, a diverging replay), its own
// message says why.
RunOutcome collect_outcome(const ProgramExit &exit, const std::string &record_path,
                           bool temporary_record, bool runtime_speaks = false);

// The records forked children wrote beside `record_path`
// ("<record>.child1", "<record>.child1.child2", ...), in fork-path order.
std::vector<std::string> child_record_paths(const std::string &record_path);
// Removes them, so an old child's record is never taken for this run's.
void remove_child_records(const std::string &record_path);

RunOutcome run_once(ProgramRunner &runner, const ProgramLaunch &launch,
                    const std::string &record_path, bool temporary_record,
                    bool runtime_speaks = false);

// The analyses a schedule's record gets before its findings count (the
// lock-order cycles), then the suppressions, if any.
void analyze_schedule_record(Record &record, bool single_thread_inversions,
                             Suppressions *suppressions = nullptr);

// PCT spreads its change points over k steps; without --pct-steps, k is
// measured (estimate_steps), the same way for one run and for the first
// schedules of an exploration, so `run --seed X` repeats what exploration's
// seed X did there (later schedules refresh k, exploration.cpp).
bool wants_step_estimate(const RunOptions &options);

// PCT's k and n as one run measured them.
struct StepEstimate {
  uint64_t steps = 1;    // scheduling points
  uint64_t threads = 1;  // threads the run created, main included
};

// The step count of a PCT run (seed 0, change points spread over the
// runtime's default k, so in effect none: the priority schedule the change
// points then perturb): PCT's first k when the user gave none. A separate
// run, so the estimate and hence every seed's schedule do not depend on
// where a --seed-range shard starts. `access_points`: as the runs it
// estimates for.
std::optional<StepEstimate> estimate_steps(const RunOptions &options, bool access_points,
                                           ProgramRunner &runner, const ScratchDir &scratch);

// The settings every run of `options` shares: the strategy, the preemption
// budget and PCT's step count (measured by estimate_steps when needed, its
// estimate then in `estimate`). False after a message.
bool strategy_settings(const RunOptions &options, ProgramRunner &runner, const ScratchDir &scratch,
                       RuntimeSettings &settings, std::optional<StepEstimate> *estimate = nullptr);

}  // namespace racecheck
