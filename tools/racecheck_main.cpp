// racecheck_main.cpp — the `racecheck` command line: verbs cc, c++, run,
// replay, report, merge (CLI11). cc/c++ are dispatched before CLI11 parses anything, so the
// compiler sees the user's arguments exactly (`racecheck cc --version` is
// clang's --version).
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "compile_command.h"
#include "merge_command.h"
#include "program_runner.h"
#include "record_reader.h"
#include "report_command.h"
#include "run_command.h"
#include "runtime_options.h"
#include "tool_paths.h"
#include "untrusted_input.h"
#include "version.h"

namespace racecheck {
namespace {

constexpr const char kSuppressionsHelp[] =
    "Leave out the findings a suppressions file matches (KIND:PATTERN a line, e.g. "
    "race:third_party/*; see docs/suppressions.md); they do not fail the run, and each rule's "
    "count is printed. Also RACECHECK_OPTIONS=suppressions=FILE";

const char kCcHelp[] =
    "Compile and link like clang, with racecheck instrumentation.\n"
    "  racecheck cc  CLANG-ARGS...    (C, runs $RACECHECK_CLANG or the configured clang)\n"
    "  racecheck c++ CLANG-ARGS...    (C++, runs $RACECHECK_CLANGXX or the configured clang++)\n"
    "The arguments reach clang unchanged, so this works as CC=/CXX= of a build system.\n"
    "racecheck adds -fplugin/-fpass-plugin=<lib>/racecheck.so when compiling,\n"
    "-g when no -g option is given (reports need lines and variable names), and, when\n"
    "the command links an executable (no -c, -S, -E, -M, -MM, -fsyntax-only, -shared,\n"
    "-r), the runtime: -Wl,--whole-archive <lib>/libracecheck_rt.a -Wl,--no-whole-archive\n"
    "-Wl,--dynamic-list=<lib>/racecheck_rt.syms -lpthread -ldl.\n"
    "<lib> is the lib/ directory next to this racecheck's bin/.\n"
    "racecheck-cc / racecheck-c++ (links to racecheck beside it) are the same as racecheck cc /\n"
    "racecheck c++, for build systems whose compiler is one path (-DCMAKE_C_COMPILER=).\n"
    "Queries (--version, -dumpversion, -print-*) and preprocessing pass through untouched.\n";

std::string version_text() {
  return std::string("racecheck ") + kRacecheckVersion + " (run record format " +
         std::to_string(kRecordFormatVersion) + ")";
}

// "cc" or "c++" when the program was called by the name racecheck-cc or racecheck-c++ (the
// links `cmake --install` and the build put beside racecheck), else null.
const char *compiler_alias(const char *argv0) {
  const char *base = std::strrchr(argv0, '/');
  base = base ? base + 1 : argv0;
  if (std::strcmp(base, "racecheck-cc") == 0) return "cc";
  if (std::strcmp(base, "racecheck-c++") == 0) return "c++";
  return nullptr;
}

int dispatch_compile(int argc, char **argv) {
  SourceLanguage language =
      std::strcmp(argv[1], "cc") == 0 ? SourceLanguage::C : SourceLanguage::Cxx;
  if (argc == 3 && std::strcmp(argv[2], "--help") == 0) {
    std::cout << kCcHelp;
    return 0;
  }
  return exec_compile_command(language, std::vector<std::string>(argv + 2, argv + argc));
}

// A number of `run`'s options: decimal digits only, at most max. CLI11 alone
// would take "-5" as 2^64-5 and run with it.
CLI::Validator unsigned_at_most(uint64_t max) {
  return CLI::Validator(
      [max](std::string &text) -> std::string {
        if (text.empty() || text.size() > 20 ||
            text.find_first_not_of("0123456789") != std::string::npos)
          return "'" + text + "' is not a whole number >= 0";
        errno = 0;
        unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
        if (errno == ERANGE || value > max)
          return "'" + text + "' is larger than " + std::to_string(max);
        return "";
      },
      "UINT<=" + std::to_string(max));
}

const CLI::Validator kCount = unsigned_at_most(UINT64_MAX);

// `run`'s flags as CLI11 fills them, before they become RunCommandOptions.
struct RunFlags {
  RunCommandOptions options;
  uint64_t seed = 0, preempt_budget = 0, pct_steps = 0, schedules = 0;
  std::string seed_range, strategy;
  bool no_shrink = false, no_confirm = false;
  std::string suppressions_path;
  CLI::Option *seed_opt = nullptr, *strategy_opt = nullptr, *budget_opt = nullptr;
  CLI::Option *schedules_opt = nullptr, *seed_range_opt = nullptr;
};

// The flags that choose what runs: the program's seed(s), strategy, files.
void add_run_options(CLI::App *run, RunFlags &flags) {
  RunOptions &run_options = flags.options.run;
  flags.seed_opt = run->add_option("--seed", flags.seed, "Scheduling seed (default 0)")
                       ->check(unsigned_at_most(kMaxSeed));
  flags.strategy_opt =
      run->add_option("--strategy", flags.strategy,
                      "Scheduling strategy: random (default), pct or pct:D (PCT with bug depth D), "
                      "pb:N (at most N preemptions) or db:N (at most N delays), N = 1..16");
  flags.budget_opt =
      run->add_option("--preempt-budget", flags.preempt_budget,
                      "Instrumented events between forced scheduling points (default 1000)")
          ->check(kCount);
  run->add_option("--json", flags.options.json_path,
                  "Also write the JSON report to FILE ('-': stdout)");
  add_report_file_options(run, flags.options.files);
  run->add_option("--html", flags.options.html_path,
                  "Also write the HTML report (findings, sources, the interleaving) to FILE; "
                  "exploring, each finding with the interleaving of its own schedule");
  run->add_option("--record", run_options.record_path, "Keep the run record at FILE");
  run->add_flag("--keep-record", run_options.keep_record,
                "Keep the run record (in racecheck-out/ unless --record)");
  run->add_flag("-q,--quiet", flags.options.quiet, "Print nothing when there are no findings");
  run->add_option("--graph", flags.options.graph_path,
                  "Write the lock-order cycles found as a Graphviz DOT file (and FILE.svg when dot "
                  "is installed)");
  run->add_flag("--single-thread-inversions", run_options.single_thread_inversions,
                "Also report lock-order cycles whose locks one thread takes in both orders");
  run->add_option("--suppressions", flags.suppressions_path, kSuppressionsHelp);
  run->add_option("--pct-steps", flags.pct_steps,
                  "PCT's k, the expected scheduling points of a run (default: measured by one "
                  "extra PCT run, seed 0, and when exploring raised every 64 schedules to the "
                  "most steps a schedule ran)")
      ->check(kCount);
  run->add_option("--out", run_options.out_dir,
                  "Directory for the schedule files of findings (default racecheck-out)");
  flags.schedules_opt = run->add_option("--schedules", flags.schedules,
                                        "Explore N schedules (seeds --seed .. --seed+N-1) and "
                                        "merge the findings by fingerprint")
                            ->check(kCount);
  flags.seed_range_opt =
      run->add_option("--seed-range", flags.seed_range,
                      "Explore the seeds A..B (inclusive), e.g. to shard CI: A:B");
}

// The flags of the engine's phases: shrinking, race-directed schedules,
// confirmation, and how an exploration runs.
void add_phase_options(CLI::App *run, RunFlags &flags) {
  RunOptions &run_options = flags.options.run;
  run->add_flag("--no-shrink", flags.no_shrink,
                "Keep each finding's schedule as found instead of shrinking it to the fewest "
                "preemptions that still reproduce the finding");
  run->add_option("--shrink-attempts", run_options.shrink_attempts,
                  "Runs at most spent shrinking one finding's schedule (default 50)")
      ->check(kCount);
  run->add_option("--shrink-time-limit", run_options.shrink_time_limit,
                  "Seconds at most spent shrinking one finding's schedule (default: 20 times the "
                  "finding run, at least 60 s); shrinking also stops once its runs made 20 times "
                  "the finding run's scheduling points, which alone keeps the result the same on "
                  "a loaded machine")
      ->check(CLI::PositiveNumber);
  run->add_option("--race-directed", run_options.race_directed_schedules,
                  "With --schedules: schedules per racy access pair in the second, race-directed "
                  "phase, which runs each race found the other way round (default 2; 0: no "
                  "second phase)")
      ->check(kCount);
  run->add_option("--spurious-wakeups", run_options.spurious_wakeups,
                  "Let condition-variable and futex waits return without a wake-up: on, off, or "
                  "auto (default: on for odd seeds, so half the schedules of an exploration have "
                  "them and `run --seed X` repeats seed X)")
      ->check(CLI::IsMember({"auto", "on", "off"}));
  run->add_option("--access-points", run_options.access_points,
                  "Make a plain load or store to a location another thread touched a scheduling "
                  "point, so schedules can switch threads between two plain accesses: on, off, "
                  "or auto (default: on with --schedules/--seed-range, off in a single run; "
                  "`run --seed X --access-points on` repeats exploration's seed X)")
      ->check(CLI::IsMember({"auto", "on", "off"}));
  run->add_flag(
      "--no-confirm", flags.no_confirm,
      "Do not re-run the program under directed schedules to confirm potential deadlocks");
  run->add_option("--confirm-attempts", run_options.confirm_attempts,
                  "Directed schedules tried per potential deadlock (default 10)")
      ->check(kCount);
  run->add_option("--confirm-total", run_options.confirm_total,
                  "Directed schedules tried over all potential deadlocks of the run; those "
                  "left over stay potential, with a note (default 100)")
      ->check(kCount);
  run->add_flag_function(
      "--ignore-output", [&run_options](std::int64_t) { run_options.compare_output = false; },
      "With --schedules: let each schedule's output go to the terminal instead of keeping it "
      "in files beside each finding's schedule; exit statuses are still compared");
  run->add_flag("--check-output", run_options.check_output,
                "With --schedules: report a schedule whose stdout differs from the reference "
                "schedule's (the first that ended normally) as `output-mismatch`; off by "
                "default, since output may legitimately vary by schedule");
  run->add_option("--expect-output", run_options.expect_output_path,
                  "With --schedules: report a schedule whose stdout differs from FILE's "
                  "contents as `output-mismatch`");
  run->add_option("--fail-on", run_options.fail_on,
                  "The finding kinds, a comma list (data-race,deadlock,...), that make the exit "
                  "status 66 and stop --stop-on-first; others are still reported (default: every "
                  "kind but output-mismatch)")
      ->delimiter(',');
  run->add_flag_function(
      "--no-fork-server", [&run_options](std::int64_t) { run_options.fork_server = false; },
      "With --schedules: start the program once per schedule instead of forking "
      "each schedule from one started copy (the fork server); same results, slower");
  run->add_flag("--timing", run_options.timing,
                "With --schedules: print where the time per schedule went (fork server, program, "
                "racecheck)");
  run->add_option("--jobs", run_options.jobs,
                  "With --schedules/--seed-range: run up to J schedules at once (default 1); "
                  "the findings, counts and reports are the same as with one")
      ->check(kCount & CLI::Range(uint64_t{1}, uint64_t{kMaxParallelPrograms}));
  run->add_flag("--stop-on-first", run_options.stop_on_first,
                "With --schedules/--seed-range: stop after the first schedule with a finding of "
                "a kind of --fail-on");
}

// `run` once parsed: the program and its arguments, the optional flags.
int run_parsed(CLI::App *run, RunFlags &flags, const std::vector<std::string> *after_double_dash) {
  RunOptions &run_options = flags.options.run;
  run_options.command = run->remaining();
  // CLI11 stops at the first word it does not know and hands the rest over
  // as the program: a word that looks like an option is a mistyped one, not
  // a program to run.
  if (!run_options.command.empty() && run_options.command[0].size() > 1 &&
      run_options.command[0][0] == '-') {
    std::cerr << "racecheck: error: unknown option " << terminal_safe(run_options.command[0])
              << " for `racecheck run` (see `racecheck run --help`; a program whose name starts "
                 "with '-' is given as ./NAME)\n";
    return kExitError;
  }
  if (after_double_dash) {
    // `run PROG -- X`: the "--" was the program's own argument.
    if (!run_options.command.empty()) run_options.command.push_back("--");
    run_options.command.insert(run_options.command.end(), after_double_dash->begin(),
                               after_double_dash->end());
  }
  if (!load_suppressions(flags.suppressions_path.empty() ? suppressions_from_environment()
                                                         : flags.suppressions_path,
                         run_options.suppressions))
    return kExitError;
  run_options.confirm = !flags.no_confirm;
  run_options.shrink = !flags.no_shrink;
  if (flags.seed_opt->count()) run_options.seed = flags.seed;
  if (flags.strategy_opt->count()) run_options.strategy = flags.strategy;
  if (flags.budget_opt->count()) run_options.preempt_budget = flags.preempt_budget;
  if (flags.pct_steps) run_options.pct_steps = flags.pct_steps;
  if (flags.schedules_opt->count()) run_options.schedules = flags.schedules;
  if (flags.seed_range_opt->count()) {
    run_options.seed_range = parse_seed_range(flags.seed_range);
    if (!run_options.seed_range) {
      std::cerr << "racecheck: error: --seed-range wants A:B with A <= B <= " << kMaxSeed
                << ", got '" << terminal_safe(flags.seed_range) << "'\n";
      return kExitError;
    }
    if (flags.schedules_opt->count() || flags.seed_opt->count()) {
      std::cerr << "racecheck: error: --seed-range replaces --seed and --schedules\n";
      return kExitError;
    }
  }
  return run_command(flags.options);
}

CLI::App *add_replay_command(CLI::App &app, ReplayOptions &replay_options) {
  CLI::App *replay = app.add_subcommand(
      "replay",
      "Re-run the program named in a schedule file (racecheck-out/finding-N.schedule) with its\n"
      "recorded arguments, following the recorded schedule exactly, and print the report.\n"
      "A schedule file names a command to run: replay only schedules you trust as you would the\n"
      "command. Before anything runs, replay checks that the file it names is an executable\n"
      "built with racecheck whose identity (ELF build id) is the one the schedule records");
  replay->add_option("schedule", replay_options.schedule_path, "The schedule file")->required();
  replay->add_option("--json", replay_options.json_path,
                     "Also write the JSON report to FILE ('-': stdout)");
  replay->add_flag("-q,--quiet", replay_options.quiet, "Print nothing when there are no findings");
  add_report_file_options(replay, replay_options.files);
  replay->add_option("--suppressions", replay_options.suppressions_path, kSuppressionsHelp);
  replay->add_option("--html", replay_options.html_path,
                     "Also write the HTML report (findings, sources, the interleaving) to FILE");
  replay->add_flag("--gdb", replay_options.gdb,
                   "After the report, replay again under gdb, stopped at the first finding in its "
                   "thread and the program's frame (the other threads are parked)");
  replay->add_flag("--rr", replay_options.rr,
                   "After the report, record the replay with rr; `rr replay` then debugs it "
                   "(fails first, with rr's reason, where rr is missing or cannot record: it "
                   "needs hardware performance counters)");
  return replay;
}

CLI::App *add_merge_command(CLI::App &app, MergeOptions &merge_options) {
  CLI::App *merge = app.add_subcommand(
      "merge",
      "Combine the JSON reports of explorations of adjacent seed ranges (shards, each written by "
      "`racecheck run --seed-range A:B --json FILE`) into the report of one exploration of the "
      "whole range: same findings, counts and first seeds. The text report goes to stdout:\n"
      "  racecheck merge [--json FILE] SHARD.json...");
  merge->add_option("--json", merge_options.json_path,
                    "Also write the merged JSON report to FILE ('-': stdout)");
  add_report_file_options(merge, merge_options.files);
  merge->add_option("--suppressions", merge_options.suppressions_path, kSuppressionsHelp);
  merge->add_option("--html", merge_options.html_path,
                    "Also write the HTML report to FILE: each finding with the interleaving of its "
                    "schedule, replayed (schedule files and programs must be on this machine)");
  merge->add_option("shards", merge_options.shard_paths, "JSON reports of the shards, in any order")
      ->required();
  return merge;
}

CLI::App *add_report_command(CLI::App &app, ReportOptions &report_options) {
  CLI::App *report =
      app.add_subcommand("report", "Render a run record as a text and/or JSON report");
  report->add_flag("--text", report_options.text,
                   "Print the text report (the default without --json)");
  report->add_option("--json", report_options.json_path,
                     "Write the JSON report to FILE ('-': stdout)");
  add_report_file_options(report, report_options.files);
  report->add_option("-o,--output", report_options.text_path,
                     "Write the text report to FILE (default stdout)");
  report->add_flag("-q,--quiet", report_options.quiet, "Print no text when there are no findings");
  report->add_option("--graph", report_options.graph_path,
                     "Write the lock-order cycles found as a Graphviz DOT file (and FILE.svg when "
                     "dot is installed)");
  report->add_flag("--single-thread-inversions", report_options.single_thread_inversions,
                   "Also report lock-order cycles whose locks one thread takes in both orders");
  report->add_option("--suppressions", report_options.suppressions_path, kSuppressionsHelp);
  report->add_option("--html", report_options.html_path,
                     "Write the HTML report (findings, sources, the interleaving) to FILE");
  report->add_option("--schedule", report_options.schedule_path,
                     "The run's schedule file, for the HTML report's timeline");
  report->add_option("record", report_options.record, "The run record")->required();
  return report;
}

int main_with_cli(int argc, char **argv) {
  CLI::App app{"racecheck: deterministic data race, deadlock and hang detector for C/C++.\n"
               "Build with `racecheck cc`/`racecheck c++`, then `racecheck run -- ./program`.",
               "racecheck"};
  app.set_version_flag("--version", version_text(), "Print the racecheck version and exit");
  app.require_subcommand(1);
  app.footer("Exit status of run/replay/report/merge: 66 when there are findings (not known from "
             "--baseline), 2 on errors.\n");

  app.add_subcommand("cc",
                     "Compile/link C with racecheck instrumentation (see `racecheck cc --help`)");
  app.add_subcommand(
      "c++", "Compile/link C++ with racecheck instrumentation (see `racecheck c++ --help`)");

  RunFlags run_flags;
  CLI::App *run = app.add_subcommand(
      "run", "Run an instrumented program under racecheck's scheduler and report its findings:\n"
             "  racecheck run [OPTIONS] [--] PROGRAM [ARGS...]");
  add_run_options(run, run_flags);
  add_phase_options(run, run_flags);
  // Everything from the program name on belongs to the program.
  run->prefix_command();
  run->footer(runtime_options_help());

  ReplayOptions replay_options;
  CLI::App *replay = add_replay_command(app, replay_options);
  ReportOptions report_options;
  MergeOptions merge_options;
  CLI::App *merge = add_merge_command(app, merge_options);
  CLI::App *report = add_report_command(app, report_options);

  // `run ... -- PROGRAM ARGS`: everything after the first "--" is the
  // program's, whatever it looks like; CLI11 sees only what comes before.
  std::vector<std::string> after_double_dash;
  int cli_argc = argc;
  if (argc >= 2 && std::strcmp(argv[1], "run") == 0) {
    for (int i = 2; i < argc; ++i) {
      if (std::strcmp(argv[i], "--") == 0) {
        after_double_dash.assign(argv + i + 1, argv + argc);
        cli_argc = i;
        break;
      }
    }
  }
  try {
    app.parse(cli_argc, argv);
  } catch (const CLI::ParseError &e) {
    int status = app.exit(e);
    return status == 0 ? 0 : kExitError;
  }

  if (run->parsed())
    return run_parsed(run, run_flags, cli_argc != argc ? &after_double_dash : nullptr);
  if (report->parsed()) return report_command(report_options);
  if (merge->parsed()) return merge_command(merge_options);
  if (replay->parsed()) return replay_command(replay_options);
  // cc/c++ reach here only if they were not the first argument (e.g. after an
  // option of racecheck itself).
  std::cerr << "racecheck: error: cc and c++ must be the first argument\n";
  return kExitError;
}

}  // namespace
}  // namespace racecheck

int main(int argc, char **argv) {
  // Called as racecheck-cc / racecheck-c++ (the links next to racecheck): a compiler path for
  // build systems that cannot take a subcommand in CC/CXX (CMAKE_C_COMPILER, libtool).
  if (const char *as = racecheck::compiler_alias(argv[0])) {
    std::vector<char *> args{argv[0], const_cast<char *>(as)};
    args.insert(args.end(), argv + 1, argv + argc);
    return racecheck::dispatch_compile(static_cast<int>(args.size()), args.data());
  }
  if (argc >= 2 && (std::strcmp(argv[1], "cc") == 0 || std::strcmp(argv[1], "c++") == 0))
    return racecheck::dispatch_compile(argc, argv);
  return racecheck::main_with_cli(argc, argv);
}
