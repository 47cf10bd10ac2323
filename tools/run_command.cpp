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
#include <set>
#include <regex>
#include <sstream>

#include "deadlock_confirmation.h"
#include "exploration_runner.h"
#include "fingerprint.h"
#include "json_report.h"
#include "program_runner.h"
#include "progress_line.h"
#include "record_reader.h"
#include "report_command.h"
#include "runtime_options.h"
#include "schedule_file.h"
#include "schedule_shrinker.h"
#include "race_directed.h"
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
  // `in_memory`: prefer /dev/shm (tmpfs) unless TMPDIR is set, for the
  // files rewritten by every schedule of an exploration: truncating them on
  // a disk file system costs milliseconds under load.
  bool create(bool in_memory = false) {
    const char *tmp = std::getenv("TMPDIR");
    std::string dir = (tmp && *tmp && is_valid_option_value(tmp)) ? tmp : "/tmp";
    if (in_memory && !(tmp && *tmp) && ::access("/dev/shm", W_OK | X_OK) == 0) dir = "/dev/shm";
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
  std::string guide;                     // strategy=guided: its guide file
  std::string guided_base;               // strategy=guided: the shrunk run's strategy
  std::string race_targets;              // strategy=race-directed: its targets
  bool spurious_wakeups = false;         // spurious_wakeups_for(options, seed)
  std::optional<uint64_t> max_steps;
  std::optional<uint64_t> shrunk_from;   // schedule header: preemptions before
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
  if (!settings.guide.empty()) add("guide", settings.guide);
  if (!settings.guided_base.empty()) add("guided_base", settings.guided_base);
  if (!settings.race_targets.empty()) add("race_targets", settings.race_targets);
  if (settings.spurious_wakeups) add("spurious_wakeups", "1");
  if (settings.max_steps) add("max_steps", std::to_string(*settings.max_steps));
  if (settings.shrunk_from) add("shrunk_from", std::to_string(*settings.shrunk_from));
  add("record", settings.record);
  add("report", "0");
  return text;
}

// --spurious-wakeups: on, off, or auto — on for odd seeds, the same rule
// for a single run and for every schedule of an exploration (and its
// shrinking and race-directed runs), so `run --seed X` repeats seed X.
bool spurious_wakeups_for(const RunOptions &options, uint64_t seed) {
  if (options.spurious_wakeups == "on") return true;
  if (options.spurious_wakeups == "off") return false;
  return seed % 2 == 1;
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
// The first schedule that ends normally is the reference; a later one that ends normally (no
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
    if (f.kind == FindingKind::Crash || f.kind == FindingKind::Hang || f.kind == FindingKind::Deadlock ||
        f.kind == FindingKind::Livelock)  // the runtime ended these runs itself
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

// `note` (the shrinking result) follows as a shell comment, so the line
// still pastes as a command.
void print_replay_line(const std::string &schedule, const std::string &note = "") {
  std::cerr << "replay: racecheck replay " << schedule << (note.empty() ? "" : "  # " + note)
            << "\n";
}

// ---- schedule shrinking (schedule_shrinker.h) ----
bool shrinkable(const RunOptions &options, const Record &record) {
  if (!options.shrink || options.shrink_attempts == 0) return false;
  // A hang used up max_steps: every candidate would run as long.
  for (const Finding &f : record.findings)
    if (f.kind == FindingKind::Hang) return false;
  return true;
}

// Shrinks `schedule` (the schedule of `record`'s run, made with `base`) by
// guided runs that must satisfy `reproduces`. On success `schedule` and
// `record` become the shrunk run's (its output, when `reference` is given,
// next to the schedule as .stdout/.stderr) and the note to print is returned.
std::string shrink_run_schedule(const RunOptions &options, const ScratchDir &scratch,
                                const RuntimeSettings &base, const std::string &name,
                                const ReferenceRun *reference, const Reproduces &reproduces,
                                std::string &schedule, Record &record) {
  const uint64_t original_steps = record.meta.scheduling_points;
  GuidedRun guided_run = [&](const std::string &guide, const std::string &schedule_out,
                             uint64_t shrunk_from) -> std::optional<Record> {
    RuntimeSettings settings = base;
    settings.strategy = "guided";
    settings.guide = guide;
    if (is_valid_option_value(record.meta.strategy)) settings.guided_base = record.meta.strategy;
    settings.schedule_out = schedule_out;
    settings.shrunk_from = shrunk_from;
    // A candidate that loops where the original did not is cut short (and
    // rejected: a hang is another finding), not left to run max_steps.
    settings.max_steps = std::max<uint64_t>(4 * original_steps, 100000);
    settings.record = scratch.path() + "/" + name + ".record";
    std::error_code ec;
    fs::remove(settings.record, ec);
    fs::remove(settings.record + ".child", ec);
    ProgramLaunch launch{options.command, "", build_options_string(settings),
                         /*detached_io=*/reference == nullptr};
    if (reference) {
      launch.stdout_path = schedule_out + ".stdout";
      launch.stderr_path = schedule_out + ".stderr";
    }
    RunOutcome run = run_once(launch, settings.record, true);
    if (!run.ok) return std::nullopt;
    analyze_record(run.record, "", options.single_thread_inversions);
    if (reference && ended_normally(run.record))
      if (std::optional<Finding> failure = compare_with_reference(
              *reference, run.record, read_text_file(schedule_out + ".stdout")))
        run.record.findings.push_back(std::move(*failure));
    return std::move(run.record);
  };
  ShrinkSettings settings;
  settings.max_attempts = options.shrink_attempts;
  settings.scratch_dir = scratch.path();
  settings.name = name;
  ShrinkResult result = shrink_schedule(schedule, settings, guided_run, reproduces);
  if (result.schedule.empty()) return "";
  schedule = result.schedule;
  record = std::move(*result.record);
  return shrink_note(result);
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
  settings.spurious_wakeups = spurious_wakeups_for(options, options.seed.value_or(0));
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
  // Shrink before anything is reported: the report shown is the shrunk
  // run's, the one its schedule replays to.
  std::string shrunk;
  struct stat schedule_stat;
  if (!parsed.findings.empty() && !run.child && shrinkable(options, parsed) && schedule_possible &&
      ::stat(schedule_path.c_str(), &schedule_stat) == 0) {
    std::multiset<std::string> wanted;
    for (const Finding &f : parsed.findings) wanted.insert(finding_fingerprint(parsed, f));
    Reproduces same_findings = [&](const Record &candidate) {
      std::multiset<std::string> found;
      for (const Finding &f : candidate.findings) found.insert(finding_fingerprint(candidate, f));
      return found == wanted;
    };
    shrunk = shrink_run_schedule(options, scratch, settings, "shrink", nullptr, same_findings,
                                 schedule_path, parsed);
  }
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
    if (!saved.empty()) print_replay_line(saved, shrunk);
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
  std::string race_target;  // found by phase 2 reversing this race, else ""
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

// Shrinks the schedule of each distinct finding of an exploration, in report
// order after all seeds ran (so nothing depends on --jobs): a candidate must
// show a finding with the same fingerprint, and the finding then reported
// (and its kept schedule and output) is the shrunk run's. Returns one note
// per finding ("" when not shrunk).
std::vector<std::string> shrink_merged_schedules(const RunOptions &options,
                                                 const ScratchDir &scratch, RuntimeSettings base,
                                                 const ReferenceRun *reference,
                                                 std::vector<MergedFinding> &merged) {
  std::vector<std::string> notes(merged.size());
  for (size_t i = 0; i < merged.size(); ++i) {
    MergedFinding &m = merged[i];
    // A phase-2 finding needs its race-directed access point, which guided
    // runs do not make: kept as found.
    if (m.schedule.empty() || !m.race_target.empty() || !shrinkable(options, m.first_record))
      continue;
    base.seed = m.first_seed;
    base.spurious_wakeups = spurious_wakeups_for(options, m.first_seed);
    auto matching = [&](const Record &candidate) -> const Finding * {
      for (const Finding &f : candidate.findings)
        if (outcome_fingerprint(candidate, f) == m.fingerprint) return &f;
      return nullptr;
    };
    std::string schedule = m.schedule;
    Record record = m.first_record;
    std::string note = shrink_run_schedule(
        options, scratch, base, "shrink" + std::to_string(i + 1),
        options.compare_output ? reference : nullptr,
        [&](const Record &candidate) { return matching(candidate) != nullptr; }, schedule, record);
    if (note.empty()) continue;
    std::error_code ec;
    fs::copy_file(schedule, m.schedule, fs::copy_options::overwrite_existing, ec);
    if (ec) continue;  // keep the unshrunk schedule and report
    Finding finding = *matching(record);
    record.findings = {finding};
    m.first_record = std::move(record);
    if (!m.output.empty()) {
      fs::copy_file(schedule + ".stdout", m.output + ".stdout", fs::copy_options::overwrite_existing, ec);
      fs::copy_file(schedule + ".stderr", m.output + ".stderr", fs::copy_options::overwrite_existing, ec);
    }
    notes[i] = note;
  }
  return notes;
}

// `run --timing`: where the exploration's time went (bench/explore_rate.py).
void print_exploration_timing(const ExplorationRunner &runner) {
  const ExplorationTiming &t = runner.timing();
  if (t.schedules == 0) return;
  auto per = [&](double seconds) { return 1e6 * seconds / double(t.schedules); };
  std::cerr << "racecheck: timing: " << t.schedules << " schedules, "
            << (runner.serving() ? "fork server" : "one process per schedule")
            << "; per schedule (us): running " << per(t.batch_seconds);
  if (runner.serving())
    std::cerr << ", of which fork " << per(t.fork_seconds) << ", child lifetime "
              << per(t.child_seconds) << "; switches " << double(t.switches) / double(t.schedules)
              << ", scheduling points " << double(t.steps) / double(t.schedules);
  std::cerr << "\n";
}

// The race-directed second phase (race_directed.h): every racy pair of
// phase 1, reversed, for options.race_directed_schedules seeds from `first`.
// Findings not seen in phase 1 are appended to `merged`; `phase2_runs`
// counts the schedules. False when a run failed (after a message).
bool run_race_directed_phase(const RunOptions &options, const ScratchDir &scratch,
                             RuntimeSettings settings, const ReferenceRun *reference,
                             uint64_t first, FindingSchedules &saver,
                             std::vector<MergedFinding> &merged,
                             std::map<std::string, size_t> &by_fingerprint,
                             uint64_t &phase2_runs) {
  std::vector<RaceTarget> targets;
  for (const MergedFinding &m : merged) {
    RaceTarget target;
    if (race_target_for(m.first_record, m.first_record.findings[0], target))
      targets.push_back(std::move(target));
  }
  sort_race_targets(targets);
  const std::string stem = scratch.path() + "/phase2";
  std::set<size_t> found_in_phase2;
  for (const RaceTarget &target : targets) {
    {
      std::ofstream out(stem + ".targets", std::ios::binary | std::ios::trunc);
      out << race_targets_file_text(target);
      if (!out) return false;
    }
    for (uint64_t j = 0; j < options.race_directed_schedules; ++j) {
      settings.seed = first + j;
      settings.spurious_wakeups = spurious_wakeups_for(options, first + j);
      settings.strategy = "race-directed";
      settings.race_targets = stem + ".targets";
      settings.schedule_out = stem + ".schedule";
      settings.record = stem + ".record";
      std::error_code ec;
      for (const char *suffix : {".record", ".record.child", ".schedule"})
        fs::remove(stem + suffix, ec);
      ProgramLaunch launch{options.command, "", build_options_string(settings),
                           /*detached_io=*/!options.compare_output};
      if (options.compare_output) {
        launch.stdout_path = stem + ".stdout";
        launch.stderr_path = stem + ".stderr";
      }
      RunOutcome run = run_once(launch, settings.record, true);
      if (!run.ok) {
        std::cerr << "racecheck: error: the race-directed run (seed " << *settings.seed
                  << ", reversing " << target.description << ") failed\n";
        return false;
      }
      ++phase2_runs;
      analyze_record(run.record, "", options.single_thread_inversions);
      if (reference && options.compare_output && ended_normally(run.record))
        if (std::optional<Finding> failure = compare_with_reference(
                *reference, run.record, read_text_file(stem + ".stdout")))
          run.record.findings.push_back(std::move(*failure));
      for (const Finding &finding : run.record.findings) {
        std::string fingerprint = outcome_fingerprint(run.record, finding);
        auto [it, inserted] = by_fingerprint.emplace(fingerprint, merged.size());
        if (!inserted) {
          // Phase 1 counts stay phase 1's; a phase-2 finding counts here.
          if (found_in_phase2.count(it->second)) merged[it->second].seen_in++;
          continue;
        }
        found_in_phase2.insert(merged.size());
        MergedFinding m;
        m.fingerprint = fingerprint;
        m.first_record = run.record;
        m.first_record.findings = {finding};
        m.first_seed = *settings.seed;
        m.seen_in = 1;
        m.race_target = target.description;
        struct stat st;
        if (::stat(settings.schedule_out.c_str(), &st) == 0) m.schedule = saver.save(settings.schedule_out);
        if (options.compare_output && !m.schedule.empty())
          m.output = saver.keep_output(fs::path(m.schedule).stem().string(), stem + ".stdout",
                                       stem + ".stderr");
        merged.push_back(std::move(m));
      }
    }
  }
  return true;
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
  if (!scratch.create(/*in_memory=*/true)) return kExitError;
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

  // A regular file on stdin is given to every schedule from its start (a
  // copy, so the program cannot change it between schedules); a terminal
  // or pipe stays shared, as it is with one process per schedule.
  std::string stdin_snapshot;
  struct stat stdin_stat;
  if (::fstat(0, &stdin_stat) == 0 && S_ISREG(stdin_stat.st_mode)) {
    stdin_snapshot = scratch.path() + "/stdin";
    std::ofstream copy(stdin_snapshot, std::ios::binary);
    copy << std::cin.rdbuf();
    if (!copy.flush()) {
      std::cerr << "racecheck: error: cannot copy the standard input to " << stdin_snapshot << "\n";
      return kExitError;
    }
  }
  // Everything but the seed and the per-schedule files; each schedule's
  // request adds those (later options win).
  auto runner = std::make_unique<ExplorationRunner>(
      options.command, build_options_string(settings), jobs,
      options.fork_server && is_valid_request_path(scratch.path()));

  std::optional<ReferenceRun> reference;
  ProgressLine progress(std::cerr, last - first + 1, ::isatty(2));
  FindingSchedules saver(options.out_dir);
  std::vector<MergedFinding> merged;
  std::map<std::string, size_t> by_fingerprint;
  uint64_t runs = 0;
  bool stopped_early = false, done = false;
  // Seeds run in batches of up to `jobs` programs at once; a batch's
  // results are merged in seed order after all of them ended, exactly as
  // one at a time would. With --stop-on-first, the seeds of a batch after
  // the first one with findings are dropped unseen, so where the
  // exploration stops does not depend on timing.
  for (uint64_t batch_first = first; !done;) {
    const uint64_t batch_size = std::min<uint64_t>(jobs, last - batch_first + 1);
    progress.update(runs, merged.size());
    std::vector<ScheduleRequest> requests;
    for (uint64_t k = 0; k < batch_size; ++k) {
      const SlotFiles &files = slots[k];
      std::error_code ec;
      // Never mistake an old record for this run's (a served child that
      // ends before writing one says so in its summary instead).
      if (!runner->serving()) {
        fs::remove(files.record, ec);
        fs::remove(files.schedule, ec);
      }
      fs::remove(files.record + ".child", ec);
      ScheduleRequest request;
      request.options = "seed=" + std::to_string(batch_first + k) + ":record=" + files.record +
                        ":schedule_out=" + files.schedule;
      if (spurious_wakeups_for(options, batch_first + k)) request.options += ":spurious_wakeups=1";
      request.stdin_path = stdin_snapshot;
      if (options.compare_output) {
        request.stdout_path = files.out;
        request.stderr_path = files.err;
      }
      requests.push_back(std::move(request));
    }
    std::vector<ScheduleExit> exits = runner->run_batch(requests);
    if (exits.empty()) {
      progress.clear();
      std::cerr << "racecheck: error: exploration stopped at seed " << batch_first << "\n";
      return kExitError;
    }
    for (uint64_t k = 0; k < batch_size; ++k) {
      const uint64_t seed = batch_first + k;
      const SlotFiles &files = slots[k];
      // A served schedule whose summary shows nothing to report (no
      // runtime finding, no lock-order cycle to analyse, the reference's
      // exit status and output) is counted without reading its record.
      const std::optional<ScheduleSummary> &summary = exits[k].summary;
      if (summary && !summary->record_written) {
        std::error_code ec;
        fs::remove(files.record, ec);
        fs::remove(files.schedule, ec);
      }
      if (summary && summary->record_written && summary->findings == 0 &&
          !summary->lock_cycle_possible && summary->exit_signal == 0 && reference &&
          summary->exit_status == reference->exit_status &&
          (!options.compare_output || read_text_file(files.out) == reference->output)) {
        ++runs;
        if (seed == last) {
          done = true;
          break;
        }
        continue;
      }
      RunOutcome run = collect_outcome(exits[k].exit, files.record, true);
      if (!run.ok) {
        progress.clear();
        std::cerr << "racecheck: error: the run with seed " << seed << " failed (see above)\n"
                  << (options.compare_output ? read_text_file(files.err) : "");
        return run.exit_code;
      }
      ++runs;
      analyze_record(run.record, "", options.single_thread_inversions);
      std::string output = options.compare_output ? read_text_file(files.out) : "";
      // The reference is the first schedule that ended normally: a deadlocked
      // or crashed first schedule would make every normal one look failed.
      if (!reference && ended_normally(run.record)) {
        reference = ReferenceRun{seed, run.record.meta.exit_status, output};
        if (options.compare_output) saver.keep_output("reference", files.out, files.err);
      } else if (reference && ended_normally(run.record)) {
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
  progress.update(runs, merged.size());
  progress.clear();
  if (options.timing) print_exploration_timing(*runner);
  runner.reset();  // the servers exit; racecheck takes ^C again
  uint64_t phase2_runs = 0;
  if (!stopped_early && options.race_directed_schedules > 0 &&
      !run_race_directed_phase(options, scratch, settings, reference ? &*reference : nullptr, first,
                               saver, merged, by_fingerprint, phase2_runs))
    return kExitError;
  std::vector<std::string> shrink_notes =
      shrink_merged_schedules(options, scratch, settings, reference ? &*reference : nullptr, merged);

  TextReportOptions text_options;
  text_options.summary = false;
  std::map<FindingKind, size_t> kinds;
  for (const MergedFinding &m : merged) {
    write_text_report(std::cerr, m.first_record, text_options);
    if (m.race_target.empty())
      std::cerr << "racecheck: seen in " << m.seen_in << " of " << runs
                << " schedules, first with seed " << m.first_seed << "\n";
    else
      std::cerr << "racecheck: found by the race-directed phase 2 (reversing the race to "
                << m.race_target << "), seen in " << m.seen_in << " of " << phase2_runs
                << " phase-2 schedules, first with seed " << m.first_seed << "\n";
    if (!m.schedule.empty()) print_replay_line(m.schedule, shrink_notes[&m - merged.data()]);
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
      if (!m.race_target.empty()) {
        f["phase"] = 2;
        f["race_target"] = m.race_target;
      }
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
