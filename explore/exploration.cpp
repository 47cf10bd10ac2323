// exploration.cpp — see exploration.h.
#include "exploration.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "exit_status.h"
#include "finding_files.h"
#include "finding_merge.h"
#include "program_runner.h"
#include "race_directed_phase.h"
#include "racecheck/record_format.h"
#include "reference_run.h"
#include "runtime_options.h"
#include "runtime_settings.h"
#include "schedule_outcome.h"
#include "scratch_dir.h"
#include "shrink_phase.h"

namespace racecheck {
namespace {

namespace fs = std::filesystem;

// The files of one parallel slot; the same names whatever --jobs is, so
// nothing in the report depends on it.
struct SlotFiles {
  std::string record, schedule, out, err;
};

class Explorer {
 public:
  Explorer(const RunOptions &options, SeedRange seeds, ProgramRunner &runner,
           ExplorationProgress &progress, ExplorationResult &result)
      : options_(options), seeds_(seeds), runner_(runner), progress_(progress), result_(result),
        context_{options, runner, scratch_}, files_(options.out_dir, options.stdin_path),
        merge_(result.findings) {}

  int run();

 private:
  int prepare();
  int run_seeds();
  std::vector<ScheduleRequest> batch_requests(uint64_t batch_first, uint64_t batch_size) const;
  std::optional<int> take_schedule(uint64_t seed, const SlotFiles &files, const ScheduleExit &exit,
                                   bool &findings);
  bool unremarkable(const std::optional<ScheduleSummary> &summary, const SlotFiles &files) const;
  void merge_run(uint64_t seed, const Record &record, const SlotFiles &files);

  const RunOptions &options_;
  const SeedRange seeds_;
  ProgramRunner &runner_;
  ExplorationProgress &progress_;
  ExplorationResult &result_;
  ScratchDir scratch_;
  RunContext context_;
  uint64_t jobs_ = 1;
  std::vector<SlotFiles> slots_;
  RuntimeSettings settings_;  // everything but the seed and the per-schedule files
  std::unique_ptr<ScheduleBatches> batches_;
  std::optional<ReferenceRun> reference_;
  FindingFiles files_;
  FindingMerge merge_;
};

int Explorer::run() {
  result_.first_seed = seeds_.first;
  result_.strategy = options_.strategy.value_or("random");
  result_.phase2_schedules = 0;
  // ^C or SIGTERM, from the first schedule to the last, stops the
  // exploration with what it found so far rather than killing racecheck.
  SignalForwardingScope signals;
  if (int status = prepare()) return status;
  if (int status = run_seeds()) return status;
  progress_.update(result_.schedules, result_.findings.size());
  progress_.clear();
  if (options_.timing) batches_->print_timing(std::cerr);
  batches_.reset();  // the servers exit; racecheck takes ^C again
  const ReferenceRun *reference = reference_ ? &*reference_ : nullptr;
  if (!result_.stopped_early && options_.race_directed_schedules > 0 &&
      !run_race_directed_phase(context_, settings_, reference, files_, merge_, result_))
    return kExitError;
  if (!result_.interrupted_by)
    shrink_explored_findings(context_, settings_, reference, result_.findings);
  for (ExploredFinding &f : result_.findings) describe_finding(f);
  return 0;
}

int Explorer::prepare() {
  if (!scratch_.create(/*in_memory=*/true)) return kExitError;
  jobs_ = std::max<uint64_t>(1, options_.jobs);
  for (uint64_t k = 0; k < jobs_; ++k) {
    std::string stem = scratch_.path() + "/slot" + std::to_string(k);
    slots_.push_back({stem + ".record", stem + ".schedule", stem + ".stdout", stem + ".stderr"});
  }
  if (!is_valid_option_value(slots_[0].record)) {
    std::cerr << "racecheck: error: the temporary directory " << scratch_.path()
              << " must not contain ':' or blanks\n";
    return kExitError;
  }
  if (!strategy_settings(options_, runner_, scratch_, settings_)) return kExitError;
  // Each schedule's request adds the seed and its files (later options win).
  batches_ = runner_.start_batches(options_.command, build_options_string(settings_), jobs_,
                                   options_.fork_server && is_valid_request_path(scratch_.path()));
  return 0;
}

// Seeds run in batches of up to `jobs` programs at once; a batch's results
// are merged in seed order after all of them ended, exactly as one at a
// time would. With --stop-on-first, the seeds of a batch after the first
// one with findings are dropped unseen, so where the exploration stops does
// not depend on timing.
int Explorer::run_seeds() {
  const uint64_t last = seeds_.last;
  bool done = false;
  for (uint64_t batch_first = seeds_.first; !done;) {
    const uint64_t batch_size = std::min<uint64_t>(jobs_, last - batch_first + 1);
    progress_.update(result_.schedules, result_.findings.size());
    std::vector<ScheduleExit> exits = batches_->run_batch(batch_requests(batch_first, batch_size));
    if (exits.empty() && termination_signal()) {  // the fork servers were asked to stop
      progress_.clear();
      result_.interrupted_by = termination_signal();
      result_.stopped_early = true;
      return 0;
    }
    if (exits.empty()) {
      progress_.clear();
      std::cerr << "racecheck: error: exploration stopped at seed " << batch_first << "\n";
      return kExitError;
    }
    for (uint64_t k = 0; k < batch_size && !done; ++k) {
      const uint64_t seed = batch_first + k;
      bool findings = false;
      if (std::optional<int> failure = take_schedule(seed, slots_[k], exits[k], findings))
        return *failure;
      if (findings && options_.stop_on_first) {
        result_.stopped_early = seed != last;
        done = true;
      } else if (seed == last) {
        done = true;
      }
    }
    if (!done && termination_signal()) {
      result_.interrupted_by = termination_signal();
      result_.stopped_early = true;
      done = true;
    }
    batch_first += batch_size;
  }
  return 0;
}

std::vector<ScheduleRequest> Explorer::batch_requests(uint64_t batch_first,
                                                      uint64_t batch_size) const {
  std::vector<ScheduleRequest> requests;
  for (uint64_t k = 0; k < batch_size; ++k) {
    const SlotFiles &files = slots_[k];
    std::error_code ec;
    // Never mistake an old record for this run's (a served child that ends
    // before writing one says so in its summary instead).
    if (!batches_->serving()) {
      fs::remove(files.record, ec);
      fs::remove(files.schedule, ec);
    }
    fs::remove(files.record + ".child", ec);
    fs::remove(files.record + RC_RECORD_BEFORE_EXEC_SUFFIX, ec);
    ScheduleRequest request;
    request.options = "seed=" + std::to_string(batch_first + k) + ":record=" + files.record +
                      ":schedule_out=" + files.schedule;
    if (spurious_wakeups_for(options_, batch_first + k)) request.options += ":spurious_wakeups=1";
    request.stdin_path = options_.stdin_path;
    if (options_.compare_output) {
      request.stdout_path = files.out;
      request.stderr_path = files.err;
    }
    requests.push_back(std::move(request));
  }
  return requests;
}

// A served schedule whose summary shows nothing to report (no runtime
// finding, no lock-order cycle to analyse, the reference's exit status and
// output) is counted without reading its record.
bool Explorer::unremarkable(const std::optional<ScheduleSummary> &summary,
                            const SlotFiles &files) const {
  return summary && summary->record_written && summary->findings == 0 &&
         !summary->lock_cycle_possible && summary->exit_signal == 0 && reference_ &&
         summary->exit_status == reference_->exit_status &&
         (!options_.compare_output || read_text_file(files.out) == reference_->output);
}

// Counts one schedule of phase 1 and merges its findings (`findings`: it
// had some). An exit status to stop with when its record is unusable.
std::optional<int> Explorer::take_schedule(uint64_t seed, const SlotFiles &files,
                                           const ScheduleExit &exit, bool &findings) {
  if (exit.summary && !exit.summary->record_written) {
    std::error_code ec;
    fs::remove(files.record, ec);
    fs::remove(files.schedule, ec);
  }
  if (unremarkable(exit.summary, files)) {
    ++result_.schedules;
    return std::nullopt;
  }
  RunOutcome run = collect_outcome(exit.exit, files.record, true);
  if (!run.ok && termination_signal()) return std::nullopt;  // stopped in its tracks
  if (!run.ok) {
    progress_.clear();
    std::cerr << "racecheck: error: the run with seed " << seed << " failed (see above)\n"
              << (options_.compare_output ? read_text_file(files.err) : "");
    return run.exit_code;
  }
  ++result_.schedules;
  analyze_schedule_record(run.record, options_.single_thread_inversions);
  std::string output = options_.compare_output ? read_text_file(files.out) : "";
  // The reference is the first schedule that ended normally: a deadlocked
  // or crashed first schedule would make every normal one look failed.
  if (!reference_ && ended_normally(run.record)) {
    reference_ = ReferenceRun{seed, run.record.meta.exit_status, output};
    if (options_.compare_output) files_.keep_output("reference", files.out, files.err);
  } else if (reference_ && ended_normally(run.record)) {
    if (std::optional<Finding> failure = compare_with_reference(*reference_, run.record, output))
      run.record.findings.push_back(std::move(*failure));
  }
  merge_run(seed, run.record, files);
  findings = !run.record.findings.empty();
  if (run.before_exec) {  // the program exec'd an instrumented image
    analyze_schedule_record(*run.before_exec, options_.single_thread_inversions);
    merge_run(seed, *run.before_exec, files);
    findings = findings || !run.before_exec->findings.empty();
  }
  return std::nullopt;
}

void Explorer::merge_run(uint64_t seed, const Record &record, const SlotFiles &files) {
  for (const Finding &finding : record.findings) {
    ExploredFinding *m = merge_.add(merge_key(record, finding), 1, /*phase=*/1);
    if (!m) continue;
    m->first_record = record;
    m->first_record.findings = {finding};
    m->first_seed = seed;
    struct stat st;
    if (::stat(files.schedule.c_str(), &st) == 0) m->schedule = files_.save(files.schedule);
    if (!options_.compare_output) continue;
    std::string output =
        files_.keep_output(m->schedule.empty() ? "output-" + std::to_string(result_.findings.size())
                                               : fs::path(m->schedule).stem().string(),
                           files.out, files.err);
    if (!output.empty()) {
      m->stdout_path = output + ".stdout";
      m->stderr_path = output + ".stderr";
    }
  }
}

}  // namespace

int explore(const RunOptions &options, SeedRange seeds, ProgramRunner &runner,
            ExplorationProgress &progress, ExplorationResult &result) {
  Explorer explorer(options, seeds, runner, progress, result);
  return explorer.run();
}

}  // namespace racecheck
