// exploration_text.cpp — see exploration_text.h.
#include "exploration_text.h"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "program_runner.h"
#include "untrusted_input.h"

namespace racecheck {

namespace {

// The text as written, escaped for the terminal: a merged shard's report
// text and strategy come from a JSON file.
void print_safely(std::ostream &out, const ExplorationResult &result,
                  void (*print)(std::ostream &, const ExplorationResult &)) {
  std::ostringstream text;
  print(text, result);
  out << terminal_safe(text.str(), /*keep_layout=*/true);
}

void print_findings(std::ostream &out, const ExplorationResult &result) {
  for (const ExploredFinding &f : result.findings) {
    out << f.report_text;
    if (f.phase == 2 && result.phase2_schedules)
      out << "racecheck: found by the race-directed phase 2 (reversing the race to "
          << f.race_target << "), seen in " << f.seen_in << " of " << *result.phase2_schedules
          << " phase-2 schedules, first with seed " << f.first_seed << "\n";
    else
      out << "racecheck: seen in " << f.seen_in << " of " << result.schedules
          << " schedules, first with seed " << f.first_seed << "\n";
    if (!f.schedule.empty()) print_replay_line(out, f.schedule, f.shrink_note);
    if (!f.stdout_path.empty() && !f.stderr_path.empty())
      out << "output of that schedule: " << f.stdout_path << ", " << f.stderr_path << "\n";
  }
}

// PCT's guarantee after an exploration without findings (ASPLOS'10,
// Theorem 9): a schedule finds a given bug of depth <= d with probability
// >= 1/(n k^(d-1)) when its k covers the run's steps.
void print_pct_bound(std::ostream &out, const PctBound &bound) {
  const uint64_t counted = bound.schedules_counted();
  if (counted == 0 || bound.threads == 0) return;
  const double per_schedule =
      1.0 / (double(bound.threads) * std::pow(double(bound.steps), double(bound.depth) - 1));
  out << "racecheck: no bug of depth <= " << bound.depth
      << " reachable with probability >= " << std::setprecision(4) << bound.confidence()
      << " (PCT: " << counted << " schedule(s) whose k covered the " << bound.steps
      << " steps of the longest run, n = " << bound.threads
      << " threads; each finds a given such bug with probability >= 1/(n k^" << bound.depth - 1
      << "), " << per_schedule << " at k = " << bound.steps << ")\n";
}

void print_summary(std::ostream &out, const ExplorationResult &result) {
  std::map<FindingKind, size_t> kinds;
  for (const ExploredFinding &f : result.findings)
    if (std::optional<FindingKind> kind = parse_finding_kind(f.report["kind"].get<std::string>()))
      kinds[*kind]++;
  auto count = [&](FindingKind kind) {
    auto it = kinds.find(kind);
    return it == kinds.end() ? size_t{0} : it->second;
  };
  const uint64_t runs = result.schedules, first = result.first_seed;
  out << "SUMMARY: racecheck: " << count(FindingKind::DataRace) << " data race(s), "
      << count(FindingKind::Deadlock) << " deadlock(s)";
  for (const auto &[kind, n] : kinds)
    if (kind != FindingKind::DataRace && kind != FindingKind::Deadlock)
      out << ", " << n << " " << finding_kind_name(kind);
  out << " in " << runs << " schedules (seeds " << first << ".." << first + runs - 1
      << ", strategy " << result.strategy << ")"
      << (result.interrupted_by  ? ", interrupted by " + signal_text(result.interrupted_by)
          : result.stopped_early ? ", stopped at the first finding"
                                 : "")
      << "\n";
  if (result.pct && result.findings.empty() && !result.interrupted_by)
    print_pct_bound(out, *result.pct);
}

}  // namespace

void print_explored_findings(std::ostream &out, const ExplorationResult &result) {
  print_safely(out, result, print_findings);
}

void print_exploration_summary(std::ostream &out, const ExplorationResult &result) {
  print_safely(out, result, print_summary);
}

void print_replay_line(std::ostream &out, const std::string &schedule, const std::string &note) {
  out << "replay: racecheck replay " << schedule << (note.empty() ? "" : "  # " + note) << "\n";
}

}  // namespace racecheck
