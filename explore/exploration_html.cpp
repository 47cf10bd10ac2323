// exploration_html.cpp — see exploration_html.h.
#include "exploration_html.h"

#include <fstream>
#include <iostream>

#include "finding_merge.h"
#include "html_report.h"
#include "schedule_outcome.h"
#include "schedule_replay.h"
#include "scratch_dir.h"
#include "untrusted_input.h"

namespace racecheck {
namespace {

// Where and how often the exploration saw the finding, and how to replay it.
std::string provenance(const ExploredFinding &f) {
  std::string text = "first seen with seed " + std::to_string(f.first_seed);
  if (f.phase == 2) text += " (race-directed, reversing " + f.race_target + ")";
  text += ", in " + std::to_string(f.seen_in) + " schedule" + (f.seen_in == 1 ? "" : "s");
  if (!f.schedule.empty()) text += "; replay: racecheck replay " + f.schedule;
  if (!f.shrink_note.empty()) text += " (" + f.shrink_note + ")";
  return text;
}

// The finding alone in `record`, when one of its findings merges with `f`.
bool take_matching(const Record &record, const ExploredFinding &f, std::optional<Record> &out) {
  for (const Finding &finding : record.findings)
    if (merge_key(record, finding) == f.key) {
      out = record;
      out->findings = {finding};
      return true;
    }
  return false;
}

// The runtime's last word in a replay's stderr (why it stopped: a schedule
// that diverged, a rejected file), as ": ..." or "".
std::string runtime_message(const std::string &stderr_path) {
  std::ifstream in(stderr_path, std::ios::binary);
  std::string line, last;
  while (read_bounded_line(in, line, 4096) == LineRead::Line)
    if (line.rfind("racecheck", 0) == 0) last = line;
  return last.empty() ? "" : ": " + last;
}

// Replays the finding's schedule for its record; nullopt with `why`.
std::optional<Record> replayed_record(const ExploredFinding &f, ProgramRunner &runner,
                                      const ScratchDir &scratch, size_t number, std::string &why) {
  const std::string name = "html" + std::to_string(number);
  std::optional<ScheduleReplay> replay = prepare_schedule_replay(f.schedule, scratch, name, why);
  if (!replay) return std::nullopt;
  // The program's own output is not the page's.
  replay->launch.stdout_path = scratch.path() + "/" + name + ".stdout";
  replay->launch.stderr_path = scratch.path() + "/" + name + ".stderr";
  RunOutcome run = run_once(runner, replay->launch, replay->settings.record, true, true);
  if (!run.ok) {
    why = "replaying " + f.schedule + " wrote no record (racecheck exit status " +
          std::to_string(run.exit_code) + ")" + runtime_message(replay->launch.stderr_path);
    return std::nullopt;
  }
  analyze_schedule_record(run.record, false);
  std::optional<Record> found;
  if (take_matching(run.record, f, found)) return found;
  for (Record &child : run.children) {
    analyze_schedule_record(child, false);
    if (take_matching(child, f, found)) return found;
  }
  if (run.before_exec) {
    analyze_schedule_record(*run.before_exec, false);
    if (take_matching(*run.before_exec, f, found)) return found;
  }
  why = "replaying " + f.schedule + " did not show this finding";
  return std::nullopt;
}

HtmlRunFinding page_finding(const ExploredFinding &f, ProgramRunner &runner,
                            const ScratchDir &scratch, size_t number, size_t &replays) {
  HtmlRunFinding page;
  page.provenance = provenance(f);
  page.options.schedule_path = f.schedule;
  if (!f.first_record.findings.empty()) {
    page.record = f.first_record;
  } else if (f.schedule.empty()) {
    page.missing = "the finding has no schedule file";
  } else if (replays >= kMaxHtmlReplays) {
    page.missing = "only the first " + std::to_string(kMaxHtmlReplays) +
                   " findings' schedules are replayed for this page; replay " + f.schedule +
                   " with `racecheck replay --html`";
  } else {
    ++replays;
    page.record = replayed_record(f, runner, scratch, number, page.missing);
  }
  if (page.record && !f.schedule.empty())
    read_schedule_steps(f.schedule, page.options.schedule, page.options.schedule_error);
  if (!page.record) {
    page.options.schedule_path.clear();
    page.kind = f.report.value("kind", std::string());
    page.message = f.report.value("message", std::string());
    page.report_text = f.report_text;
  }
  return page;
}

}  // namespace

bool write_exploration_html(const ExplorationResult &result, const std::string &program,
                            ProgramRunner &runner, const std::string &path) {
  ScratchDir scratch;
  if (!scratch.create()) return false;
  std::vector<HtmlRunFinding> findings;
  size_t replays = 0;
  for (size_t i = 0; i < result.findings.size(); ++i)
    findings.push_back(page_finding(result.findings[i], runner, scratch, i + 1, replays));
  std::string shown = program;
  for (const HtmlRunFinding &f : findings)
    if (f.record) {
      shown = f.record->meta.program;
      break;
    }
  std::vector<std::pair<std::string, std::string>> facts = {
      {"program", shown},
      {"strategy", result.strategy},
      {"seeds", std::to_string(result.first_seed) + "\u2013" +
                    std::to_string(result.first_seed + result.schedules - 1) + " (" +
                    std::to_string(result.schedules) + " schedules" +
                    (result.stopped_early ? ", stopped at the first finding" : "") + ")"},
      {"findings", std::to_string(result.findings.size()) + ", each drawn with the interleaving of "
                                                            "its own schedule"}};
  if (result.phase2_schedules && *result.phase2_schedules)
    facts.push_back({"race-directed schedules", std::to_string(*result.phase2_schedules)});
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) write_runs_html_report(out, shown, facts, findings);
  out.close();
  if (!out) {
    std::cerr << "racecheck: error: cannot write the HTML report to " << terminal_safe(path)
              << "\n";
    return false;
  }
  return true;
}

}  // namespace racecheck
