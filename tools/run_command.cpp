// run_command.cpp — the `run` and `replay` verbs: check the arguments, hand
// the run to the engine (explore/single_run.h, explore/exploration.h), print
// the report, write the JSON. `run --schedules N` explores N seeds and
// merges the findings by fingerprint; `--jobs J` runs J of them at once, and
// the report does not depend on J.
#include "run_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <iostream>
#include <regex>

#include "exploration.h"
#include "exploration_html.h"
#include "exploration_json.h"
#include "exploration_text.h"
#include "finding_files.h"
#include "gdb_replay.h"
#include "json_report.h"
#include "progress_line.h"
#include "racecheck/record_format.h"
#include "report_command.h"
#include "runtime_options.h"
#include "runtime_settings.h"
#include "schedule_file.h"
#include "schedule_outcome.h"
#include "schedule_replay.h"
#include "scratch_dir.h"
#include "single_run.h"
#include "stdin_tee.h"
#include "text_report.h"
#include "untrusted_input.h"

namespace racecheck {
namespace {

// The JSON report of a run, its forked children's findings after its own
// (each with its "process"), every finding with the run's schedule file
// ("" : none), which replays the whole process tree.
nlohmann::ordered_json json_with_schedule(const RunOutcome &run, const std::string &schedule) {
  nlohmann::ordered_json json = json_report(run.record);
  for (const Record &child : run.children) {
    nlohmann::ordered_json child_json = json_report(child);
    for (nlohmann::ordered_json &f : child_json["findings"])
      json["findings"].push_back(std::move(f));
  }
  if (!schedule.empty())
    for (nlohmann::ordered_json &f : json["findings"]) f["schedule"] = schedule;
  return json;
}

// The JSON (--json) and the other report files of one run; false after a
// message. `reported` becomes the report the files were written from: the
// JSON plus each finding's text, and the findings from before an exec
// (which the JSON leaves out), for the baseline to judge.
bool write_run_reports(const RunOutcome &run, const std::string &schedule,
                       const std::string &json_path, const ReportFiles &files,
                       nlohmann::ordered_json &reported) {
  if (json_path.empty() && !files.any() && files.baseline_path.empty()) return true;
  reported = json_with_schedule(run, schedule);
  if (!json_path.empty() && !write_json_value(reported, json_path)) return false;
  if (!files.any() && files.baseline_path.empty()) return true;
  // The texts in the order json_with_schedule put the findings.
  add_report_texts(reported["findings"], run.record, 0);
  size_t next = run.record.findings.size();
  for (const Record &child : run.children) {
    add_report_texts(reported["findings"], child, next);
    next += child.findings.size();
  }
  if (!write_report_files(reported, run.record.meta.program, files)) return false;
  if (run.before_exec)
    for (nlohmann::ordered_json &f : json_report(*run.before_exec)["findings"])
      reported["findings"].push_back(std::move(f));
  return true;
}

// The lock-order analysis of the forked children's records (before any is
// reported).
void analyze_children(RunOutcome &run, bool single_thread_inversions, Suppressions *suppressions) {
  for (Record &child : run.children)
    analyze_schedule_record(child, single_thread_inversions, suppressions);
}

// How many findings each suppression rule left out, after the report.
void print_suppression_counts(const RunOptions &options) {
  if (options.suppressions) options.suppressions->write_counts(std::cerr);
}

bool valid_strategy(const RunOptions &options) {
  std::vector<std::pair<std::string, std::string>> ignored;
  if (options.strategy && !strategy_options(*options.strategy, ignored)) {
    std::cerr << "racecheck: error: invalid strategy '" << *options.strategy
              << "' (valid: random, pct, pct:D, pb:N, db:N)\n";
    return false;
  }
  return true;
}

// --fail-on names known kinds; --check-output and --expect-output are one
// choice and need an exploration whose output is kept.
bool valid_output_options(const RunOptions &options) {
  for (const std::string &kind : options.fail_on)
    if (!parse_finding_kind(kind)) {
      std::cerr << "racecheck: error: --fail-on: unknown finding kind '" << terminal_safe(kind)
                << "' (kinds:";
      for (int k = 0; k < RC_RECORD_FINDING_KIND_COUNT; ++k)
        std::cerr << (k ? ", " : " ")
                  << rc_record_finding_kind_name(static_cast<rc_record_finding_kind>(k));
      std::cerr << ")\n";
      return false;
    }
  const bool checks = options.check_output || !options.expect_output_path.empty();
  if (options.check_output && !options.expect_output_path.empty()) {
    std::cerr << "racecheck: error: give --check-output or --expect-output, not both\n";
    return false;
  }
  if (checks && !options.schedules && !options.seed_range) {
    std::cerr << "racecheck: error: --check-output and --expect-output compare the schedules of "
                 "an exploration; give --schedules or --seed-range\n";
    return false;
  }
  if (checks && !options.compare_output) {
    std::cerr << "racecheck: error: --ignore-output lets the output go to the terminal: it "
                 "cannot be checked\n";
    return false;
  }
  return true;
}

// The report of one run (`run` or `replay`), the findings of its forked
// children (analysed) after it. The status `run` and `replay` exit with:
// 66 when a finding is of a kind `options` fails on.
int report_run(RunOutcome &run, bool quiet, const RunOptions &options, const ReportFiles &files,
               const nlohmann::ordered_json &reported) {
  const bool single_thread_inversions = options.single_thread_inversions;
  TextReportOptions text_options;
  text_options.quiet = quiet;
  bool findings = has_failing_finding(options, run.record);
  if (run.before_exec) {
    analyze_schedule_record(*run.before_exec, single_thread_inversions, options.suppressions.get());
    std::cerr << "racecheck: findings of the program before it exec'd another image:\n";
    write_text_report(std::cerr, *run.before_exec, text_options);
    findings = findings || has_failing_finding(options, *run.before_exec);
  }
  for (const Record &child : run.children) {
    std::cerr << "racecheck: findings of child process " << child.meta.process << " ("
              << terminal_safe(child.meta.program) << "):\n";
    write_text_report(std::cerr, child, text_options);
    findings = findings || has_failing_finding(options, child);
  }
  // With a baseline, only findings not in it fail (judged on the report
  // the files were written from, which holds every record's findings).
  if (!files.baseline_path.empty())
    findings = has_new_failing_finding(reported, options, files, std::cerr);
  if (findings) return kExitFindings;
  // The runtime exits with its exit code when it found anything; when the
  // suppressions or the baseline left nothing failing, the program's own
  // status stands.
  if ((options.suppressions || !files.baseline_path.empty()) &&
      run.program_status == kExitFindings && run.record.meta.exit_signal == 0)
    return run.record.meta.exit_status > 0 ? int(run.record.meta.exit_status) : 0;
  return run.program_status;
}

// The seeds of `run --schedules N` / `--seed-range A:B`; nullopt after a
// message.
std::optional<SeedRange> exploration_seeds(const RunOptions &options) {
  SeedRange seeds{options.seed.value_or(0), options.seed.value_or(0)};
  if (options.seed_range) {
    seeds = {options.seed_range->first, options.seed_range->second};
  } else if (*options.schedules == 0) {
    std::cerr << "racecheck: error: --schedules must be at least 1\n";
    return std::nullopt;
  } else {
    seeds.last = seeds.first + (*options.schedules - 1);
    if (seeds.last < seeds.first || seeds.last > kMaxSeed) {
      std::cerr << "racecheck: error: --seed plus --schedules passes the largest seed, " << kMaxSeed
                << "\n";
      return std::nullopt;
    }
  }
  return seeds;
}

// The live progress line of an exploration (progress_line.h).
class ProgressLineView : public ExplorationProgress {
 public:
  explicit ProgressLineView(uint64_t total) : line_(std::cerr, total, ::isatty(2)) {}
  void update(uint64_t done, uint64_t findings) override;
  void clear() override;

 private:
  ProgressLine line_;
};

void ProgressLineView::update(uint64_t done, uint64_t findings) { line_.update(done, findings); }
void ProgressLineView::clear() { line_.clear(); }

int explore_command(const RunCommandOptions &options) {
  std::optional<SeedRange> seeds = exploration_seeds(options.run);
  if (!seeds) return kExitError;
  if (!options.run.record_path.empty() || options.run.keep_record || !options.graph_path.empty()) {
    std::cerr << "racecheck: error: --record, --keep-record and --graph take one run; "
                 "give them to `racecheck run --seed S` for the one run of a finding\n";
    return kExitError;
  }
  ProcessRunner runner;
  ProgressLineView progress(seeds->last - seeds->first + 1);
  ExplorationResult result;
  if (int status = explore(options.run, *seeds, runner, progress, result)) return status;
  print_explored_findings(std::cerr, result);
  if (!options.quiet || !result.findings.empty()) print_exploration_summary(std::cerr, result);
  print_suppression_counts(options.run);
  const nlohmann::ordered_json json = exploration_json(result);
  if (!options.json_path.empty() && !write_json_value(json, options.json_path)) return kExitError;
  if (!write_report_files(json, options.run.command.front(), options.files)) return kExitError;
  if (!options.html_path.empty() &&
      !write_exploration_html(result, options.run.command.front(), runner, options.html_path))
    return kExitError;
  if (has_new_failing_finding(json, options.run, options.files, std::cerr)) return kExitFindings;
  // Interrupted without findings: the shell's convention for a death by
  // that signal, so scripts see it was not a clean pass.
  return result.interrupted_by ? 128 + result.interrupted_by : 0;
}

int single_run_command(const RunCommandOptions &options) {
  const RunOptions &run_options = options.run;
  if (run_options.jobs != 1) {
    std::cerr << "racecheck: error: --jobs runs schedules in parallel; give --schedules or "
                 "--seed-range\n";
    return kExitError;
  }
  ProcessRunner runner;
  SingleRun single(run_options, runner);
  if (int status = single.run()) return status;
  Record &record = single.outcome().record;
  if (!analyze_record(record, options.graph_path, run_options.single_thread_inversions,
                      run_options.suppressions.get()))
    return kExitError;
  // Shrink before anything is reported: the report shown is the shrunk
  // run's, the one its schedule replays to.
  if (!single.shrink_and_confirm()) return kExitError;
  TextReportOptions text_options;
  text_options.quiet = options.quiet;
  write_text_report(std::cerr, record, text_options);
  const std::string saved = single.save_schedule();
  if (!saved.empty()) print_replay_line(std::cerr, saved, single.shrink_note());
  analyze_children(single.outcome(), run_options.single_thread_inversions,
                   run_options.suppressions.get());
  nlohmann::ordered_json reported;
  if (!write_run_reports(single.outcome(), saved, options.json_path, options.files, reported))
    return kExitError;
  if (!options.html_path.empty() && !write_html_file(record, saved, options.html_path))
    return kExitError;
  if (!single.record_is_temporary() && !options.quiet)
    std::cerr << "racecheck: run record: " << single.record_path() << "\n";
  print_suppression_counts(run_options);
  return report_run(single.outcome(), options.quiet, run_options, options.files, reported);
}

// Gives every run racecheck's stdin from its start: a pipe would feed only
// the first run, leaving shrinking and replay at end of file. A regular file
// is copied at once (so the program cannot change it between runs); any
// other input is copied as the first run reads it (stdin_tee.h), never
// ahead of it, so an input that never ends cannot hang racecheck. "" when
// there is nothing to give (a terminal stays shared, as without racecheck);
// nullopt after a message.
std::optional<std::string> capture_stdin(const ScratchDir &scratch) {
  struct stat input;
  if (::isatty(0) || ::fstat(0, &input) != 0) return std::string();
  const std::string path = scratch.path() + "/stdin";
  if (!S_ISREG(input.st_mode)) {
    if (!start_stdin_tee(path, scratch.path() + "/stdin.live")) return std::nullopt;
    return path;
  }
  int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = out >= 0;
  char buffer[65536];
  for (ssize_t n; ok && (n = ::read(0, buffer, sizeof buffer)) != 0;)
    ok = (n < 0 && errno == EINTR) || (n > 0 && ::write(out, buffer, size_t(n)) == n);
  if (out >= 0 && ::close(out) != 0) ok = false;
  if (ok) return path;
  std::cerr << "racecheck: error: cannot copy the standard input to " << path << ": "
            << std::strerror(errno) << "\n";
  return std::nullopt;
}

}  // namespace

std::optional<std::pair<uint64_t, uint64_t>> parse_seed_range(const std::string &text) {
  static const std::regex kRange("([0-9]{1,19}):([0-9]{1,19})");
  std::smatch m;
  if (!std::regex_match(text, m, kRange)) return std::nullopt;
  uint64_t first = std::stoull(m[1].str()), last = std::stoull(m[2].str());
  if (first > last || last > kMaxSeed) return std::nullopt;
  return std::make_pair(first, last);
}

int run_command(const RunCommandOptions &options) {
  if (options.run.command.empty()) {
    std::cerr << "racecheck: error: no program to run (usage: racecheck run [options] -- PROGRAM "
                 "ARGS...)\n";
    return kExitError;
  }
  if (!valid_strategy(options.run) || !valid_output_options(options.run)) return kExitError;
  RunCommandOptions with_input = options;
  if (!load_baseline(with_input.files)) return kExitError;
  ScratchDir scratch;
  if (!scratch.create()) return kExitError;
  std::optional<std::string> input = capture_stdin(scratch);
  if (!input) return kExitError;
  with_input.run.stdin_path = *input;
  const int status = options.run.schedules || options.run.seed_range
                         ? explore_command(with_input)
                         : single_run_command(with_input);
  finish_stdin_tee();
  return status;
}

int replay_command(const ReplayOptions &given) {
  ReplayOptions options = given;
  if (!load_baseline(options.files)) return kExitError;
  RunOptions replay_options;
  if (!load_suppressions(options.suppressions_path, replay_options.suppressions)) return kExitError;
  ScratchDir scratch;
  if (!scratch.create()) return kExitError;
  std::string error;
  // Before anything runs: an rr that cannot record here fails the command
  // with rr's own reason, not after a replay the user did not ask for alone.
  if (options.rr && !rr_can_record(scratch.path(), error)) {
    std::cerr << terminal_safe("racecheck: error: --rr: " + error) << "\n";
    return kExitError;
  }
  std::optional<ScheduleReplay> replay =
      prepare_schedule_replay(options.schedule_path, scratch, "replay", error);
  if (!replay) {
    std::cerr << terminal_safe("racecheck: error: " + error) << "\n";
    return kExitError;
  }
  const ScheduleHeader &header = replay->header;
  RuntimeSettings &settings = replay->settings;
  const ProgramLaunch &launch = replay->launch;
  ProcessRunner runner;
  RunOutcome run = run_once(runner, launch, settings.record, true, /*runtime_speaks=*/true);
  if (!run.ok) return run.exit_code;
  analyze_schedule_record(run.record, false, replay_options.suppressions.get());
  TextReportOptions text_options;
  text_options.quiet = options.quiet;
  write_text_report(std::cerr, run.record, text_options);
  // A `failure` or `output-mismatch` finding came from comparing schedules:
  // replay reproduces the schedule, the program's exit status and output
  // (shown above), not the comparison, and names a failing status.
  if (run.record.findings.empty() && run.record.meta.exit_status > 0 &&
      run.record.meta.exit_signal == 0 && !options.quiet)
    std::cerr << "racecheck: note: the program exited with status " << run.record.meta.exit_status
              << "\n";
  analyze_children(run, false, replay_options.suppressions.get());
  nlohmann::ordered_json reported;
  if (!write_run_reports(run, options.schedule_path, options.json_path, options.files, reported))
    return kExitError;
  print_suppression_counts(replay_options);
  if (!options.html_path.empty() &&
      !write_html_file(run.record, options.schedule_path, options.html_path))
    return kExitError;
  int status = report_run(run, options.quiet, replay_options, options.files, reported);
  if (!options.gdb && !options.rr) return status;
  GdbReplay debug{header.program, {}, "", launch.stdin_path, scratch.path(), options.rr};
  if (header.argv.size() > 1) debug.args.assign(header.argv.begin() + 1, header.argv.end());
  std::string stop, what;
  if (!debug_stop_options(run.record, stop, what)) return kExitError;
  // No watchdog (the user takes their time at the prompt) and no report:
  // the report above is the replay's.
  settings.record = scratch.path() + "/gdb.record";
  debug.runtime_options = build_options_string(settings) + ":watchdog_seconds=0:watchdog_ms=0";
  if (!stop.empty()) debug.runtime_options += ":" + stop;
  // rr's recording prints the report, so `rr replay -a` shows the verdict.
  if (options.rr) debug.runtime_options += ":report=1";
  return run_under_gdb(debug, what);
}

}  // namespace racecheck
