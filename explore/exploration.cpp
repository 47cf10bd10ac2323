// exploration.cpp — see exploration.h.
#include "exploration.h"
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

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

// PCT's k is refreshed once per this many schedules (from the range's first
// seed) to the most scheduling points any PCT schedule of the exploration
// ran: PCT's bound needs k >= the run's steps, and PCT schedules may run
// longer than the estimate run. Not less than the most --jobs, so a batch
// never needs the steps of a schedule still running, and the schedules of
// a range do not depend on --jobs.
constexpr uint64_t kPctRefreshSchedules = 64;

// "pct:D" → D, "pct" → the runtime's default depth (3).
uint64_t pct_depth_of(const std::string &strategy) {
  const std::string prefix = "pct:";
  if (strategy.rfind(prefix, 0) != 0) return 3;
  return std::stoull(strategy.substr(prefix.size()));
}

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
  bool read_expected_output();
  void take_reference(uint64_t seed, Record &record, const std::string &output,
                      const SlotFiles &files);
  bool replace_failed_reference(uint64_t seed, Record &record, const std::string &output,
                                const SlotFiles &files);
  int run_seeds();
  std::vector<ScheduleRequest> batch_requests(uint64_t batch_first, uint64_t batch_size) const;
  std::optional<int> take_schedule(uint64_t seed, const SlotFiles &files, const ScheduleExit &exit,
                                   bool &findings);
  bool unremarkable(const std::optional<ScheduleSummary> &summary, const SlotFiles &files) const;
  void merge_run(uint64_t seed, const Record &record, const SlotFiles &files, uint64_t seen_in = 1);
  void note_pct_schedule(uint64_t seed, uint64_t steps, uint64_t threads);

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
  std::optional<ExpectedOutput> expected_file_;  // --expect-output
  // A reference that exited non-zero: its record and files (in the scratch
  // directory), and the later schedules that exited as it did, until one
  // exits 0 and shows it was the program's self-check failing.
  std::optional<Record> failed_reference_;
  SlotFiles failed_reference_files_;
  uint64_t failed_reference_seen_ = 0;
  double run_seconds_ = 0;  // of the schedule being merged (its findings' shrink budget)
  FindingFiles files_;
  FindingMerge merge_;
  // strategy pct: k (refreshed when measured, kPctRefreshSchedules) and the
  // most steps of the current block of schedules.
  bool pct_refresh_ = false;
  uint64_t pct_k_ = 0, pct_block_steps_ = 0;
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
  settings_.access_points = access_points_for(options_, /*exploring=*/true);
  std::optional<StepEstimate> estimate;
  if (!strategy_settings(options_, runner_, scratch_, settings_, &estimate) ||
      !read_expected_output())
    return kExitError;
  if (result_.strategy.rfind("pct", 0) == 0) {
    result_.pct = PctBound{};
    result_.pct->depth = pct_depth_of(result_.strategy);
    result_.pct->threads = estimate ? estimate->threads : 0;
    pct_refresh_ = estimate.has_value();
    pct_k_ = settings_.pct_steps.value_or(0);
  }
  // Each schedule's request adds the seed and its files (later options win).
  batches_ = runner_.start_batches(options_.command, build_options_string(settings_), jobs_,
                                   options_.fork_server && is_valid_request_path(scratch_.path()));
  return 0;
}

bool Explorer::read_expected_output() {
  if (options_.expect_output_path.empty()) return true;
  std::ifstream in(options_.expect_output_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || !text) {
    std::cerr << "racecheck: error: cannot read the expected output " << options_.expect_output_path
              << "\n";
    return false;
  }
  expected_file_ = ExpectedOutput{text.str(), "the expected output " + options_.expect_output_path};
  return true;
}

// The first schedule that ended normally becomes the reference; its own
// output is checked against an expected output file.
void Explorer::take_reference(uint64_t seed, Record &record, const std::string &output,
                              const SlotFiles &files) {
  reference_ = ReferenceRun{seed, record.meta.exit_status, output, expected_file_};
  if (options_.check_output)
    reference_->expected = ExpectedOutput{output, "the reference schedule's"};
  if (options_.compare_output) files_.keep_output("reference", files.out, files.err);
  if (expected_file_)
    if (std::optional<Finding> mismatch = compare_output(*expected_file_, output, seed))
      record.findings.push_back(std::move(*mismatch));
  failed_reference_.reset();
  if (record.meta.exit_status == 0) return;
  // Kept until a schedule exits 0 (replace_failed_reference).
  failed_reference_ = record;
  failed_reference_seen_ = 1;
  const std::string stem = scratch_.path() + "/reference";
  failed_reference_files_ = {"", stem + ".schedule", stem + ".stdout", stem + ".stderr"};
  std::error_code ec;
  for (auto [from, to] : {std::pair{files.schedule, failed_reference_files_.schedule},
                          {files.out, failed_reference_files_.out},
                          {files.err, failed_reference_files_.err}})
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
}

// The reference exited non-zero and this schedule exits 0: the status
// varies by schedule, and the non-zero one is the failure (a program's own
// self-check) — reported with the old reference's schedule — while this
// schedule becomes the reference. False when that is not the case.
bool Explorer::replace_failed_reference(uint64_t seed, Record &record, const std::string &output,
                                        const SlotFiles &files) {
  if (!failed_reference_ || record.meta.exit_status != 0) {
    if (failed_reference_ && record.meta.exit_status == reference_->exit_status)
      ++failed_reference_seen_;
    return false;
  }
  Record failed = std::move(*failed_reference_);
  failed.findings = {exit_status_failure(failed.meta.exit_status, 0, seed)};
  const uint64_t failed_seed = reference_->seed, seen = failed_reference_seen_;
  take_reference(seed, record, output, files);
  merge_run(failed_seed, failed, failed_reference_files_, seen);
  return true;
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
    uint64_t batch_size = std::min<uint64_t>(jobs_, last - batch_first + 1);
    if (pct_refresh_)  // k changes at block boundaries only
      batch_size = std::min(batch_size, kPctRefreshSchedules -
                                            (batch_first - seeds_.first) % kPctRefreshSchedules);
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
      if (findings && options_.stop_on_first) {  // of a kind the user fails on
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
    remove_child_records(files.record);
    fs::remove(files.record + RC_RECORD_BEFORE_EXEC_SUFFIX, ec);
    ScheduleRequest request;
    request.options = "seed=" + std::to_string(batch_first + k) + ":record=" + files.record +
                      ":schedule_out=" + files.schedule;
    if (spurious_wakeups_for(options_, batch_first + k)) request.options += ":spurious_wakeups=1";
    if (pct_refresh_) request.options += ":pct_steps=" + std::to_string(pct_k_);
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
// output, no forked child's record) is counted without reading its record.
bool Explorer::unremarkable(const std::optional<ScheduleSummary> &summary,
                            const SlotFiles &files) const {
  return summary && summary->record_written && summary->findings == 0 &&
         child_record_paths(files.record).empty() && !summary->lock_cycle_possible &&
         summary->exit_signal == 0 && reference_ &&
         summary->exit_status == reference_->exit_status &&
         (!reference_->expected || read_text_file(files.out) == reference_->expected->text);
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
  if (exit.summary) note_pct_schedule(seed, exit.summary->steps, 0);
  if (unremarkable(exit.summary, files)) {
    ++result_.schedules;
    if (failed_reference_) ++failed_reference_seen_;  // it exited as the reference did
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
  if (!exit.summary)
    note_pct_schedule(seed, run.record.meta.scheduling_points, run.record.meta.threads);
  else if (result_.pct)
    result_.pct->threads = std::max(result_.pct->threads, run.record.meta.threads);
  analyze_schedule_record(run.record, options_.single_thread_inversions,
                          options_.suppressions.get());
  std::string output = options_.compare_output ? read_text_file(files.out) : "";
  // The reference is the first schedule that ended normally: a deadlocked
  // or crashed first schedule would make every normal one look failed.
  if (!reference_ && ended_normally(run.record)) {
    take_reference(seed, run.record, output, files);
  } else if (reference_ && ended_normally(run.record)) {
    if (replace_failed_reference(seed, run.record, output, files))
      findings = fails_on(options_, FindingKind::Failure);
    else if (std::optional<Finding> failure =
                 compare_with_reference(*reference_, run.record, output))
      run.record.findings.push_back(std::move(*failure));
  }
  // The run's own time (fork server runs; else the budget's floor).
  run_seconds_ = exit.summary ? double(exit.summary->child_ns) * 1e-9 : 0;
  merge_run(seed, run.record, files);
  findings = findings || has_failing_finding(options_, run.record);
  if (run.before_exec) {  // the program exec'd an instrumented image
    analyze_schedule_record(*run.before_exec, options_.single_thread_inversions,
                            options_.suppressions.get());
    merge_run(seed, *run.before_exec, files);
    findings = findings || has_failing_finding(options_, *run.before_exec);
  }
  for (Record &child : run.children) {  // forked children's own findings
    analyze_schedule_record(child, options_.single_thread_inversions, options_.suppressions.get());
    merge_run(seed, child, files);
    findings = findings || has_failing_finding(options_, child);
  }
  return std::nullopt;
}

// One PCT schedule ran `steps` scheduling points with k = pct_k_ (its
// threads: 0 when unknown). At the end of a block of schedules, k becomes
// the most steps seen so far.
void Explorer::note_pct_schedule(uint64_t seed, uint64_t steps, uint64_t threads) {
  if (!result_.pct) return;
  PctBound &bound = *result_.pct;
  bound.threads = std::max(bound.threads, threads);
  bound.steps = std::max(bound.steps, steps);
  if (steps <= pct_k_) bound.schedule_steps.push_back(pct_k_);
  pct_block_steps_ = std::max(pct_block_steps_, steps);
  if (pct_refresh_ && (seed - seeds_.first + 1) % kPctRefreshSchedules == 0)
    pct_k_ = std::max(pct_k_, pct_block_steps_);
}

void Explorer::merge_run(uint64_t seed, const Record &record, const SlotFiles &files,
                         uint64_t seen_in) {
  // seen_in counts schedules: findings of one record that merge on one key
  // (many waits starving at one site) are one sighting.
  std::set<std::string> keys;
  for (const Finding &finding : record.findings) {
    std::string key = merge_key(record, finding);
    if (!keys.insert(key).second) continue;
    ExploredFinding *m = merge_.add(key, seen_in, /*phase=*/1);
    if (!m) continue;
    m->first_record = record;
    m->first_record.findings = {finding};
    m->first_seed = seed;
    m->found_seconds = run_seconds_;
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
