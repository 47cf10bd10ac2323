// html_report.h — the HTML report: one self-contained page (inline CSS and
// SVG, no script, no network) with every finding, the source lines around
// each of its locations (read when the report is written), the failing
// interleaving as a timeline with one lane per thread, and lock-order
// cycles drawn as a graph. html_report.cpp writes the page and the source
// snippets; html_timeline.cpp the timeline, the graph and the schedule
// reading.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "record.h"

namespace racecheck {

// One scheduling decision of a schedule file (docs/schedule-format.md): at
// scheduling point `step`, thread `tid` was chosen to run `operation` at
// `site` ("file:line", or "-").
struct ScheduleStep {
  uint64_t step = 0;
  int tid = kNoId;
  std::string operation;
  std::string site;
};

struct HtmlReportOptions {
  std::string schedule_path;  // "" : none (the timeline shows the finding alone)
  std::vector<ScheduleStep> schedule;
  std::string schedule_error;  // why the schedule could not be read
  // Decisions shown before a finding's own events; earlier ones are
  // summarised, so a run of millions of points stays a small page.
  std::size_t window = 40;
  std::size_t max_lanes = 64;  // threads drawn; the finding's threads always are
  int context_lines = 3;       // source lines shown around a location
};

// Reads the decisions of a schedule file; false with `error` set when it
// cannot.
bool read_schedule_steps(const std::string &path, std::vector<ScheduleStep> &steps,
                         std::string &error);

void write_html_report(std::ostream &out, const Record &record, const HtmlReportOptions &options);

// One finding of a page that gathers the findings of many runs (an
// exploration's schedules, merged shards): the record of a run that showed
// it, holding that finding alone, and that run's schedule for its timeline;
// or, when no such run could be had, the finding as its report tells it and
// why there is no timeline.
struct HtmlRunFinding {
  std::optional<Record> record;  // findings: the one finding
  HtmlReportOptions options;     // its schedule
  std::string kind;              // without a record: "data-race", ...
  std::string message;           // without a record: the report's first line
  std::string report_text;       // without a record: the text report's block
  std::string provenance;        // "first seen with seed 3, in 5 of 200 schedules"
  std::string missing;           // without a record: why
};

// The page of an exploration: `facts` (label, value) at the top, then every
// finding with its own run's interleaving.
void write_runs_html_report(std::ostream &out, const std::string &program,
                            const std::vector<std::pair<std::string, std::string>> &facts,
                            const std::vector<HtmlRunFinding> &findings);

// `text` with &, <, >, " and ' as entities, and bytes that are not valid
// UTF-8 as U+FFFD, so no program string can open markup.
std::string html_escape(const std::string &text);

}  // namespace racecheck
