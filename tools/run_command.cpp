// run_command.cpp — the `run` and `replay` verbs: start the program with
// RACECHECK_OPTIONS set, wait, read the record the runtime wrote at exit,
// print the report, and keep a schedule file for every finding so that
// `racecheck replay` reproduces it. `run --schedules N` explores N seeds and
// merges the findings by fingerprint; `--jobs J` runs J of them at once and
// merges them in seed order, so the report does not depend on J.
#include "run_command.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include "deadlock_confirmation.h"
#include "fingerprint.h"
#include "json_report.h"
#include "program_runner.h"
#include "record_reader.h"
#include "report_command.h"
#include "runtime_options.h"
#include "schedule_file.h"
#include "text_report.h"

namespace racecheck {
namespace {

namespace fs = std::filesystem;

// A private temporary directory, removed with its contents.
class ScratchDir {
 public:
  ~ScratchDir() {
    if (!path_.empty()) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  bool create() {
    const char *tmp = std::getenv("TMPDIR");
    std::string dir = (tmp && *tmp && is_valid_option_value(tmp)) ? tmp : "/tmp";
    std::string pattern = dir + "/racecheck-run-XXXXXX";
    if (!::mkdtemp(pattern.data())) {
      std::cerr << "racecheck: error: cannot create a temporary directory in " << dir << ": "
                << std::strerror(errno) << "\n";
      return false;
    }
    path_ = pattern;
    return true;
  }
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

// Where the record goes, and whether it is removed afterwards.
class RecordLocation {
 public:
  bool choose(const RunOptions &options, const ScratchDir &scratch) {
    if (!options.record_path.empty()) {
      path_ = options.record_path;
    } else if (options.keep_record) {
      std::error_code ec;
      fs::create_directories("racecheck-out", ec);
      if (ec) {
        std::cerr << "racecheck: error: cannot create racecheck-out/: " << ec.message() << "\n";
        return false;
      }
      std::string base = fs::path(options.command[0]).filename().string();
      path_ = "racecheck-out/" + base + ".seed" + std::to_string(options.seed.value_or(0)) + ".record";
    } else {
      path_ = scratch.path() + "/run.record";
      temporary_ = true;
    }
    if (!is_valid_option_value(path_)) {
      std::cerr << "racecheck: error: the record path '" << path_
                << "' must not contain ':' or blanks (they separate RACECHECK_OPTIONS)\n";
      return false;
    }
    // Never mistake an old record for this run's.
    std::error_code ec;
    fs::remove(path_, ec);
    return true;
  }

  const std::string &path() const { return path_; }
  bool is_temporary() const { return temporary_; }

 private:
  std::string path_;
  bool temporary_ = false;
};

// What racecheck sets in RACECHECK_OPTIONS for one run.
struct RuntimeSettings {
  std::optional<uint64_t> seed;
  std::optional<std::string> strategy;  // as the user wrote it: random, pct, pct:D
  std::optional<uint64_t> preempt_budget;
  std::optional<uint64_t> pct_steps;
  std::string replay;
  std::string schedule_out;
  std::string directed_targets;
  std::string record;
};

// "pct:D" is the CLI's spelling; ':' separates RACECHECK_OPTIONS, so the
// runtime takes strategy=pct and pct_depth=D. Returns false when invalid.
bool strategy_options(const std::string &strategy,
                      std::vector<std::pair<std::string, std::string>> &out) {
  static const std::regex kPct("pct(:([1-9][0-9]{0,5}))?");
  std::smatch m;
  if (std::regex_match(strategy, m, kPct)) {
    out.emplace_back("strategy", "pct");
    if (m[2].matched) out.emplace_back("pct_depth", m[2].str());
    return true;
  }
  if (strategy.empty() || !is_valid_option_value(strategy)) return false;
  out.emplace_back("strategy", strategy);
  return true;
}

std::string build_options_string(const RuntimeSettings &settings) {
  std::string text;
  if (const char *existing = std::getenv("RACECHECK_OPTIONS")) text = existing;
  // Later settings win, so ours come after the user's; record and report
  // last.
  auto add = [&](const std::string &name, const std::string &value) {
    if (!text.empty()) text += ':';
    text += name + "=" + value;
  };
  if (settings.seed) add("seed", std::to_string(*settings.seed));
  if (settings.strategy) {
    std::vector<std::pair<std::string, std::string>> pairs;
    strategy_options(*settings.strategy, pairs);
    for (const auto &[name, value] : pairs) add(name, value);
  }
  if (settings.preempt_budget) add("preempt_budget", std::to_string(*settings.preempt_budget));
  if (settings.pct_steps) add("pct_steps", std::to_string(*settings.pct_steps));
  if (!settings.replay.empty()) add("replay", settings.replay);
  if (!settings.schedule_out.empty()) add("schedule_out", settings.schedule_out);
  if (!settings.directed_targets.empty()) add("directed_targets", settings.directed_targets);
  add("record", settings.record);
  add("report", "0");
  return text;
}

// The outcome of one execution of the program.
struct RunOutcome {
  bool ok = false;    // a record was written and read
  int exit_code = 0;  // when !ok: racecheck's exit status
  int program_status = 0;
  Record record;
  std::optional<Record> child;  // a forked child's record, when it found something
};

// Runs the program once and reads its record. `runtime_speaks` : when the
// runtime stopped the program with status 2 before writing a record (a
// rejected schedule, a diverging replay), its own message says why.
RunOutcome collect_outcome(const ProgramExit &exit, const std::string &record_path,
                           bool temporary_record, bool runtime_speaks = false) {
  RunOutcome outcome;
  outcome.program_status = exit.status;
  if (!exit.started) {
    outcome.exit_code = exit.status;
    return outcome;
  }
  struct stat st;
  if (::stat(record_path.c_str(), &st) != 0) {
    outcome.exit_code = kExitError;
    if (exit.signal)
      std::cerr << "racecheck: error: the program was killed by signal " << signal_text(exit.signal)
                << " before racecheck could write its run record\n";
    else if (runtime_speaks && exit.status == kExitError)
      ;  // the runtime printed the reason
    else if (exit.status != 0)
      // The runtime refuses bad options and reports its own fatal errors
      // before any record exists; do not blame the build for those.
      std::cerr << "racecheck: error: no run record was written and the program exited with status "
                << exit.status << ": either it is not instrumented with racecheck (build it with "
                   "`racecheck cc`/`racecheck c++`) or the racecheck runtime stopped it early (see "
                   "its messages above)\n";
    else
      std::cerr << "racecheck: error: the program is not instrumented with racecheck (no run record "
                   "was written); build it with `racecheck cc` or `racecheck c++`\n";
    return outcome;
  }
  try {
    outcome.record = read_record_file(record_path);
  } catch (const RecordError &e) {
    std::cerr << "racecheck: error: " << e.what() << "\n";
    if (temporary_record)
      std::cerr << "racecheck: (the program exited with status " << exit.status << ")\n";
    outcome.exit_code = kExitError;
    return outcome;
  }
  // A forked child with findings writes its own record next to ours.
  std::string child_path = record_path + ".child";
  if (::stat(child_path.c_str(), &st) == 0) {
    try {
      outcome.child = read_record_file(child_path);
    } catch (const RecordError &e) {
      std::cerr << "racecheck: error: " << e.what() << "\n";
    }
  }
  outcome.ok = true;
  return outcome;
}

RunOutcome run_once(const ProgramLaunch &launch, const std::string &record_path,
                    bool temporary_record, bool runtime_speaks = false) {
  return collect_outcome(launch_and_wait(launch), record_path, temporary_record, runtime_speaks);
}

// Copies schedule files into the output directory as finding-N.schedule,
// numbering findings in report order. The first save removes the
// finding-N.schedule files of an earlier run, so none is mistaken for this
// run's.
class FindingSchedules {
 public:
  explicit FindingSchedules(std::string dir) : dir_(std::move(dir)) {}

  // Returns the new file's path, or "" after a message.
  std::string save(const std::string &schedule) {
    if (!prepare()) return "";
    std::error_code ec;
    std::string path = (fs::path(dir_) / ("finding-" + std::to_string(next_++) + ".schedule")).string();
    fs::copy_file(schedule, path, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      std::cerr << "racecheck: error: cannot write " << path << ": " << ec.message() << "\n";
      return "";
    }
    return path;
  }

  // Copies one run's captured output into the directory as <stem>.stdout
  // and <stem>.stderr (next to the schedule file of the same stem).
  // Returns the common path prefix of the two files, or "" when not written.
  std::string keep_output(const std::string &stem, const std::string &out, const std::string &err) {
    if (!prepare()) return "";
    std::error_code ec;
    std::string prefix = (fs::path(dir_) / stem).string();
    fs::copy_file(out, prefix + ".stdout", fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::copy_file(err, prefix + ".stderr", fs::copy_options::overwrite_existing, ec);
    return ec ? "" : prefix;
  }

 private:
  // Creates the directory and removes the previous run's files, once.
  bool prepare() {
    if (!prepared_) {
      prepared_ = true;
      std::error_code ec;
      fs::create_directories(dir_, ec);
      if (ec) {
        std::cerr << "racecheck: error: cannot create " << dir_ << ": " << ec.message() << "\n";
        failed_ = true;
      } else {
        static const std::regex kOld(
            "(finding|output)-[0-9]+\\.(schedule|stdout|stderr)|reference\\.(stdout|stderr)");
        for (const auto &entry : fs::directory_iterator(dir_, ec))
          if (std::regex_match(entry.path().filename().string(), kOld)) fs::remove(entry.path(), ec);
      }
    }
    return !failed_;
  }

  std::string dir_;
  int next_ = 1;
  bool prepared_ = false;
  bool failed_ = false;
};

// ---- program failures across schedules (`run --schedules`) ----
// The first schedule is the reference; a later one that ends normally (no
// crash, hang or deadlock finding) with another exit status or other stdout
// is a `crash` finding whose first detail names the difference without
// schedule-specific numbers, so the same failure merges across schedules.
struct ReferenceRun {
  uint64_t seed = 0;
  int64_t exit_status = 0;
  std::string output;
};

std::string read_text_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool ended_normally(const Record &record) {
  if (record.meta.exit_signal != 0) return false;
  for (const Finding &f : record.findings)
    if (f.kind == FindingKind::Crash || f.kind == FindingKind::Hang || f.kind == FindingKind::Deadlock)
      return false;
  return true;
}

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string excerpt(const std::string &line) {
  constexpr size_t kMax = 120;
  return line.size() <= kMax ? line : line.substr(0, kMax) + "...";
}

std::optional<Finding> compare_with_reference(const ReferenceRun &reference, const Record &record,
                                              const std::string &output) {
  Finding failure;
  failure.kind = FindingKind::Crash;
  if (record.meta.exit_status != reference.exit_status) {
    failure.details.push_back("exit status " + std::to_string(record.meta.exit_status) +
                              " differs from the reference schedule's " +
                              std::to_string(reference.exit_status));
    failure.details.push_back("reference: seed " + std::to_string(reference.seed));
    return failure;
  }
  if (output == reference.output) return std::nullopt;
  std::vector<std::string> mine = split_lines(output), theirs = split_lines(reference.output);
  size_t k = 0;
  while (k < mine.size() && k < theirs.size() && mine[k] == theirs[k]) ++k;
  failure.details.push_back("output differs from the reference schedule's");
  failure.details.push_back("first difference at line " + std::to_string(k + 1) + " (reference: seed " +
                            std::to_string(reference.seed) + ")");
  failure.details.push_back("  reference: " + (k < theirs.size() ? excerpt(theirs[k]) : "(end of output)"));
  failure.details.push_back("  this run:  " + (k < mine.size() ? excerpt(mine[k]) : "(end of output)"));
  return failure;
}

// Fingerprint for merging; a failure is keyed on its first detail only.
std::string outcome_fingerprint(const Record &record, const Finding &finding) {
  if (finding.kind != FindingKind::Crash || !finding.waiters.empty() || finding.details.size() < 2)
    return finding_fingerprint(record, finding);
  Finding key = finding;
  key.details.resize(1);
  return finding_fingerprint(record, key);
}

bool write_json_value(const nlohmann::ordered_json &json, const std::string &path) {
  if (path == "-") {
    std::cout << json.dump(2) << "\n";
    return bool(std::cout);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << json.dump(2) << "\n";
  out.close();
  if (!out) {
    std::cerr << "racecheck: error: cannot write the JSON report to " << path << "\n";
    return false;
  }
  return true;
}

// The JSON report with each finding's schedule file ("" : none).
bool write_json_with_schedules(const Record &record, const std::vector<std::string> &schedules,
                               const std::string &path) {
  nlohmann::ordered_json json = json_report(record);
  for (size_t i = 0; i < json["findings"].size() && i < schedules.size(); ++i)
    if (!schedules[i].empty()) json["findings"][i]["schedule"] = schedules[i];
  return write_json_value(json, path);
}

void print_replay_line(const std::string &schedule) {
  std::cerr << "replay: racecheck replay " << schedule << "\n";
}

bool valid_strategy(const RunOptions &options) {
  std::vector<std::pair<std::string, std::string>> ignored;
  if (options.strategy && !strategy_options(*options.strategy, ignored)) {
    std::cerr << "racecheck: error: invalid strategy '" << *options.strategy
              << "' (valid: random, pct, pct:D)\n";
    return false;
  }
  return true;
}

// Directed schedules for the potential deadlocks of `record` (the run made
// with `base`); the confirming schedules go to the output directory as
// finding-N-deadlock.schedule.
bool confirm_cycles(const RunOptions &options, const ScratchDir &scratch,
                    const RuntimeSettings &base, Record &record) {
  ConfirmationSettings confirmation;
  confirmation.attempts = options.confirm_attempts;
  confirmation.scratch_dir = scratch.path();
  confirmation.keep_schedule = [&](const std::string &schedule, size_t number) -> std::string {
    std::error_code ec;
    fs::create_directories(options.out_dir, ec);
    std::string path =
        (fs::path(options.out_dir) / ("finding-" + std::to_string(number) + "-deadlock.schedule"))
            .string();
    if (!ec) fs::copy_file(schedule, path, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      std::cerr << "racecheck: error: cannot write " << path << ": " << ec.message() << "\n";
      return "";
    }
    return path;
  };
  const std::string record_path = scratch.path() + "/directed.record";
  DirectedRun directed_run = [&](uint64_t seed, const std::string &targets,
                                 const std::string &schedule) -> std::optional<Record> {
    RuntimeSettings settings;
    settings.seed = seed;
    settings.strategy = "directed";
    settings.preempt_budget = base.preempt_budget;
    settings.directed_targets = targets;
    settings.schedule_out = schedule;
    settings.record = record_path;
    std::error_code ec;
    fs::remove(record_path, ec);
    fs::remove(record_path + ".child", ec);
    ProgramLaunch launch{options.command, "", build_options_string(settings),
                         /*detached_io=*/true};
    RunOutcome run = run_once(launch, record_path, true);
    if (!run.ok) {
      std::cerr << "racecheck: error: the directed run (seed " << seed
                << ") that tries to confirm a potential deadlock failed\n";
      return std::nullopt;
    }
    return std::move(run.record);
  };
  if (!is_valid_option_value(scratch.path())) return true;  // cannot name the files
  return confirm_lock_order_cycles(record, confirmation, directed_run);
}

int explore_command(const RunOptions &options);
std::optional<uint64_t> estimate_steps(const RunOptions &options, const ScratchDir &scratch);

// PCT spreads its change points over k steps; without --pct-steps, k is
// measured (estimate_steps), the same way for one run and for every schedule
// of an exploration, so `run --seed X` repeats what exploration's seed X did.
bool wants_step_estimate(const RunOptions &options) {
  return options.strategy && options.strategy->rfind("pct", 0) == 0 && !options.pct_steps;
}

}  // namespace

std::optional<std::pair<uint64_t, uint64_t>> parse_seed_range(const std::string &text) {
  static const std::regex kRange("([0-9]{1,19}):([0-9]{1,19})");
  std::smatch m;
  if (!std::regex_match(text, m, kRange)) return std::nullopt;
  uint64_t first = std::stoull(m[1].str()), last = std::stoull(m[2].str());
  if (first > last) return std::nullopt;
  return std::make_pair(first, last);
}

int run_command(const RunOptions &options) {
  if (options.command.empty()) {
    std::cerr << "racecheck: error: no program to run (usage: racecheck run [options] -- PROGRAM ARGS...)\n";
    return kExitError;
  }
  if (!valid_strategy(options)) return kExitError;
  if (options.schedules || options.seed_range) return explore_command(options);
  if (options.jobs != 1) {
    std::cerr << "racecheck: error: --jobs runs schedules in parallel; give --schedules or --seed-range\n";
    return kExitError;
  }

  ScratchDir scratch;
  if (!scratch.create()) return kExitError;
  RecordLocation record;
  if (!record.choose(options, scratch)) return kExitError;
  std::string schedule_path = scratch.path() + "/run.schedule";
  bool schedule_possible = is_valid_option_value(schedule_path);

  RuntimeSettings settings;
  settings.seed = options.seed;
  settings.strategy = options.strategy;
  settings.preempt_budget = options.preempt_budget;
  settings.pct_steps = options.pct_steps;
  if (wants_step_estimate(options)) {
    settings.pct_steps = estimate_steps(options, scratch);
    if (!settings.pct_steps) return kExitError;
  }
  if (schedule_possible) settings.schedule_out = schedule_path;
  settings.record = record.path();
  ProgramLaunch launch{options.command, "", build_options_string(settings)};
  RunOutcome run = run_once(launch, record.path(), record.is_temporary());
  if (!run.ok) return run.exit_code;

  Record &parsed = run.record;
  if (!analyze_record(parsed, options.graph_path, options.single_thread_inversions))
    return kExitError;
  if (options.confirm && options.confirm_attempts > 0 &&
      !confirm_cycles(options, scratch, settings, parsed))
    return kExitError;
  TextReportOptions text_options;
  text_options.quiet = options.quiet;
  write_text_report(std::cerr, parsed, text_options);

  // Every finding of one run comes from the same schedule: one file,
  // finding-1.schedule, that all of them name.
  std::vector<std::string> schedules;
  struct stat st;
  if (!parsed.findings.empty() && schedule_possible && ::stat(schedule_path.c_str(), &st) == 0) {
    FindingSchedules saver(options.out_dir);
    std::string saved = saver.save(schedule_path);
    schedules.assign(parsed.findings.size(), saved);
    if (!saved.empty()) print_replay_line(saved);
  }
  if (!options.json_path.empty() &&
      !write_json_with_schedules(parsed, schedules, options.json_path))
    return kExitError;
  if (!record.is_temporary() && !options.quiet)
    std::cerr << "racecheck: run record: " << record.path() << "\n";
  bool findings = !parsed.findings.empty();

  if (run.child) {
    analyze_record(*run.child, "", options.single_thread_inversions);
    std::cerr << "racecheck: findings of a forked child process:\n";
    write_text_report(std::cerr, *run.child, text_options);
    findings = findings || !run.child->findings.empty();
  }
  return findings ? kExitFindings : run.program_status;
}

int replay_command(const ReplayOptions &options) {
  ScheduleHeader header;
  try {
    header = read_schedule_header(options.schedule_path);
  } catch (const ScheduleError &e) {
    std::cerr << "racecheck: error: " << e.what() << "\n";
    return kExitError;
  }
  ScratchDir scratch;
  if (!scratch.create()) return kExitError;
  // The runtime reads the schedule itself; its path must fit in
  // RACECHECK_OPTIONS, else it reads a copy.
  std::error_code ec;
  std::string schedule = fs::absolute(options.schedule_path, ec).string();
  if (ec || !is_valid_option_value(schedule)) {
    schedule = scratch.path() + "/replay.schedule";
    fs::copy_file(options.schedule_path, schedule, ec);
    if (ec) {
      std::cerr << "racecheck: error: cannot copy " << options.schedule_path << ": " << ec.message()
                << "\n";
      return kExitError;
    }
  }
  RuntimeSettings settings;
  settings.replay = schedule;
  settings.record = scratch.path() + "/run.record";
  ProgramLaunch launch{header.argv, header.program, build_options_string(settings)};
  RunOutcome run = run_once(launch, settings.record, true, /*runtime_speaks=*/true);
  if (!run.ok) return run.exit_code;
  analyze_record(run.record, "", false);
  TextReportOptions text_options;
  text_options.quiet = options.quiet;
  write_text_report(std::cerr, run.record, text_options);
  if (!options.json_path.empty() &&
      !write_json_with_schedules(
          run.record, std::vector<std::string>(run.record.findings.size(), options.schedule_path),
          options.json_path))
    return kExitError;
  bool findings = !run.record.findings.empty();
  if (run.child) {
    analyze_record(*run.child, "", false);
    std::cerr << "racecheck: findings of a forked child process:\n";
    write_text_report(std::cerr, *run.child, text_options);
    findings = findings || !run.child->findings.empty();
  }
  return findings ? kExitFindings : run.program_status;
}

namespace {

// One distinct finding of an exploration: where it was first seen.
struct MergedFinding {
  std::string fingerprint;
  Record first_record;  // the record of its first run, with only this finding
  uint64_t first_seed = 0;
  uint64_t seen_in = 0;
  std::string schedule;  // finding-N.schedule of the first run, or ""
  std::string output;    // <out>/finding-N (.stdout/.stderr) of the first run, or ""
};

// The step count of a run under the random strategy (seed 0): PCT's k when
// the user gave none. A separate run, so the estimate and hence every
// seed's schedule do not depend on where a --seed-range shard starts.
std::optional<uint64_t> estimate_steps(const RunOptions &options, const ScratchDir &scratch) {
  RuntimeSettings settings;
  settings.seed = 0;
  settings.preempt_budget = options.preempt_budget;
  settings.record = scratch.path() + "/estimate.record";
  ProgramLaunch launch{options.command, "", build_options_string(settings), /*detached_io=*/true};
  RunOutcome run = run_once(launch, settings.record, true);
  if (!run.ok) {
    std::cerr << "racecheck: error: the run that measures PCT's step count (random strategy, seed 0, "
                 "output discarded) failed; give --pct-steps\n";
    return std::nullopt;
  }
  return std::max<uint64_t>(run.record.meta.scheduling_points, 1);
}

int explore_command(const RunOptions &options) {
  uint64_t first = options.seed.value_or(0), last = first;
  if (options.seed_range) {
    first = options.seed_range->first;
    last = options.seed_range->second;
  } else if (*options.schedules == 0) {
    std::cerr << "racecheck: error: --schedules must be at least 1\n";
    return kExitError;
  } else {
    last = first + (*options.schedules - 1);
    if (last < first) {
      std::cerr << "racecheck: error: --seed plus --schedules passes the largest seed\n";
      return kExitError;
    }
  }
  if (!options.record_path.empty() || options.keep_record || !options.graph_path.empty()) {
    std::cerr << "racecheck: error: --record, --keep-record and --graph take one run; "
                 "replay a finding's schedule to get its record\n";
    return kExitError;
  }
  ScratchDir scratch;
  if (!scratch.create()) return kExitError;
  // One set of files per parallel slot; the same names whatever --jobs is,
  // so nothing in the report depends on it.
  const uint64_t jobs = std::max<uint64_t>(1, options.jobs);
  struct SlotFiles {
    std::string record, schedule, out, err;
  };
  std::vector<SlotFiles> slots(jobs);
  for (uint64_t k = 0; k < jobs; ++k) {
    std::string stem = scratch.path() + "/slot" + std::to_string(k);
    slots[k] = {stem + ".record", stem + ".schedule", stem + ".stdout", stem + ".stderr"};
  }
  if (!is_valid_option_value(slots[0].record)) {
    std::cerr << "racecheck: error: the temporary directory " << scratch.path()
              << " must not contain ':' or blanks\n";
    return kExitError;
  }
  RuntimeSettings settings;
  settings.strategy = options.strategy;
  settings.preempt_budget = options.preempt_budget;
  settings.pct_steps = options.pct_steps;
  if (wants_step_estimate(options)) {
    settings.pct_steps = estimate_steps(options, scratch);
    if (!settings.pct_steps) return kExitError;
  }

  std::optional<ReferenceRun> reference;
  const bool progress = ::isatty(2);
  FindingSchedules saver(options.out_dir);
  std::vector<MergedFinding> merged;
  std::map<std::string, size_t> by_fingerprint;
  uint64_t runs = 0;
  const uint64_t total = last - first + 1;
  bool stopped_early = false, done = false;
  // Seeds run in batches of up to `jobs` programs at once; a batch's
  // results are merged in seed order after all of them ended, exactly as
  // one at a time would. With --stop-on-first, the seeds of a batch after
  // the first one with findings are dropped unseen, so where the
  // exploration stops does not depend on timing.
  for (uint64_t batch_first = first; !done;) {
    const uint64_t batch_size = std::min<uint64_t>(jobs, last - batch_first + 1);
    if (progress)
      std::cerr << "\rracecheck: schedule " << runs + 1 << "/" << total << " (seed " << batch_first
                << "), " << merged.size() << " distinct finding(s)" << std::flush;
    std::vector<ProgramLaunch> launches;
    for (uint64_t k = 0; k < batch_size; ++k) {
      const SlotFiles &files = slots[k];
      std::error_code ec;
      fs::remove(files.record, ec);
      fs::remove(files.schedule, ec);
      fs::remove(files.record + ".child", ec);
      settings.seed = batch_first + k;
      settings.record = files.record;
      settings.schedule_out = files.schedule;
      ProgramLaunch launch{options.command, "", build_options_string(settings)};
      if (options.compare_output) {
        launch.stdout_path = files.out;
        launch.stderr_path = files.err;
      }
      launches.push_back(std::move(launch));
    }
    std::vector<ProgramExit> exits = launch_all_and_wait(launches);
    for (uint64_t k = 0; k < batch_size; ++k) {
      const uint64_t seed = batch_first + k;
      const SlotFiles &files = slots[k];
      RunOutcome run = collect_outcome(exits[k], files.record, true);
      if (!run.ok) {
        if (progress) std::cerr << "\n";
        std::cerr << "racecheck: error: the run with seed " << seed << " failed (see above)\n"
                  << (options.compare_output ? read_text_file(files.err) : "");
        return run.exit_code;
      }
      ++runs;
      analyze_record(run.record, "", options.single_thread_inversions);
      std::string output = options.compare_output ? read_text_file(files.out) : "";
      if (!reference) {
        reference = ReferenceRun{seed, run.record.meta.exit_status, output};
        if (options.compare_output) saver.keep_output("reference", files.out, files.err);
      } else if (ended_normally(run.record)) {
        if (std::optional<Finding> failure = compare_with_reference(*reference, run.record, output))
          run.record.findings.push_back(std::move(*failure));
      }
      for (const Finding &finding : run.record.findings) {
        std::string fingerprint = outcome_fingerprint(run.record, finding);
        auto [it, inserted] = by_fingerprint.emplace(fingerprint, merged.size());
        if (!inserted) {
          merged[it->second].seen_in++;
          continue;
        }
        MergedFinding m;
        m.fingerprint = fingerprint;
        m.first_record = run.record;
        m.first_record.findings = {finding};
        m.first_seed = seed;
        m.seen_in = 1;
        struct stat st;
        if (::stat(files.schedule.c_str(), &st) == 0) m.schedule = saver.save(files.schedule);
        if (options.compare_output)
          m.output = saver.keep_output(m.schedule.empty()
                                           ? "output-" + std::to_string(merged.size() + 1)
                                           : fs::path(m.schedule).stem().string(),
                                       files.out, files.err);
        merged.push_back(std::move(m));
      }
      if (!run.record.findings.empty() && options.stop_on_first) {
        stopped_early = seed != last;
        done = true;
        break;
      }
      if (seed == last) {
        done = true;
        break;
      }
    }
    batch_first += batch_size;
  }
  if (progress) std::cerr << "\r\033[K" << std::flush;

  TextReportOptions text_options;
  text_options.summary = false;
  std::map<FindingKind, size_t> kinds;
  for (const MergedFinding &m : merged) {
    write_text_report(std::cerr, m.first_record, text_options);
    std::cerr << "racecheck: seen in " << m.seen_in << " of " << runs << " schedules, first with seed "
              << m.first_seed << "\n";
    if (!m.schedule.empty()) print_replay_line(m.schedule);
    if (!m.output.empty())
      std::cerr << "output of that schedule: " << m.output << ".stdout, " << m.output << ".stderr\n";
    kinds[m.first_record.findings[0].kind]++;
  }
  std::string strategy = options.strategy.value_or("random");
  if (!options.quiet || !merged.empty()) {
    print_exploration_summary(std::cerr, kinds, runs, first, strategy, stopped_early);
  }
  if (!options.json_path.empty()) {
    nlohmann::ordered_json json;
    json["tool"] = "racecheck";
    json["schema_version"] = kJsonSchemaVersion;
    json["exploration"] = {{"schedules", runs},
                           {"first_seed", first},
                           {"last_seed", first + runs - 1},
                           {"strategy", strategy},
                           {"stopped_early", stopped_early}};
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    for (const MergedFinding &m : merged) {
      nlohmann::ordered_json f = json_report(m.first_record)["findings"][0];
      // The finding's block of the text report, so that `racecheck merge`
      // prints the same text without the record.
      std::ostringstream text;
      write_text_report(text, m.first_record, text_options);
      f["report_text"] = text.str();
      f["seen_in"] = m.seen_in;
      f["first_seed"] = m.first_seed;
      if (!m.schedule.empty()) f["schedule"] = m.schedule;
      if (!m.output.empty()) {
        f["stdout"] = m.output + ".stdout";
        f["stderr"] = m.output + ".stderr";
      }
      findings.push_back(std::move(f));
    }
    json["findings"] = std::move(findings);
    if (!write_json_value(json, options.json_path)) return kExitError;
  }
  return merged.empty() ? 0 : kExitFindings;
}

}  // namespace
}  // namespace racecheck
