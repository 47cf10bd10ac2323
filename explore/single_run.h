// single_run.h — one run of `racecheck run` without exploration: the
// program once under the chosen seed and strategy; then, when it found
// something, its schedule shrunk (shrink_phase.h) and its potential
// deadlocks confirmed by directed schedules (deadlock_confirmation.h), and
// the schedule kept as finding-1.schedule for `racecheck replay`.
#pragma once

#include <string>

#include "finding_files.h"
#include "run_options.h"
#include "runtime_settings.h"
#include "schedule_outcome.h"
#include "schedule_runner.h"
#include "scratch_dir.h"

namespace racecheck {

class SingleRun {
 public:
  SingleRun(const RunOptions &options, ProgramRunner &runner)
      : options_(options), runner_(runner), context_{options, runner, scratch_},
        files_(options.out_dir, options.stdin_path) {}

  // Runs the program. 0, or the exit status to stop with (after a message).
  // The caller then analyses outcome().record (lock-order cycles).
  int run();
  RunOutcome &outcome() { return outcome_; }
  const std::string &record_path() const { return record_path_; }
  bool record_is_temporary() const { return temporary_record_; }

  // Shrinks the schedule of a run with findings (the record becomes the
  // shrunk run's: the one its schedule replays to) and tries to confirm
  // its lock-order cycles. False after a message.
  bool shrink_and_confirm();
  const std::string &shrink_note() const { return shrink_note_; }

  // Every finding of one run comes from the same schedule: it is kept as
  // finding-1.schedule, which all of them name. Returns its path, "" when
  // there is none (no findings, no schedule, or a message said why).
  std::string save_schedule();

 private:
  bool choose_record_path();
  bool confirm_cycles();

  const RunOptions &options_;
  ProgramRunner &runner_;
  ScratchDir scratch_;
  RunContext context_;
  RuntimeSettings settings_;
  FindingFiles files_;  // the output directory's files, never through a link
  std::string record_path_;
  bool temporary_record_ = false;
  std::string schedule_path_;
  bool schedule_possible_ = false;
  RunOutcome outcome_;
  double run_seconds_ = 0;  // the program run's wall time (the shrink budget's base)
  std::string shrink_note_;
};

}  // namespace racecheck
