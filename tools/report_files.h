// report_files.h — the report files every verb that reports can write beside
// its text (--sarif, --junit; the place for further formats), all rendered
// from the verb's JSON report, and the baseline (--baseline) that decides
// which findings are known and so do not fail the run.
#pragma once

#include <iosfwd>
#include <set>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "record.h"
#include "run_options.h"

namespace racecheck {

struct ReportFiles {
  std::string sarif_path;   // "": none, "-": stdout
  std::string junit_path;   // "": none, "-": stdout
  std::string source_root;  // SARIF paths are relative to it ("": working directory)
  std::string baseline_path;
  std::set<std::string> baseline;  // its fingerprints, once loaded

  bool any() const { return !sarif_path.empty() || !junit_path.empty(); }
};

// --sarif, --junit, --source-root, --baseline on a verb.
void add_report_file_options(CLI::App *verb, ReportFiles &files);

// Reads the baseline's fingerprints. False after a message.
bool load_baseline(ReportFiles &files);

// Writes the files asked for from `report` (racecheck's JSON report, its
// findings with "report_text" for JUnit). False after a message.
bool write_report_files(const nlohmann::ordered_json &report, const std::string &program,
                        const ReportFiles &files);

// Whether a finding of `report` fails the run: of a kind `options` fails on
// and not in the baseline. The baseline's findings are listed on `out` as
// known.
bool has_new_failing_finding(const nlohmann::ordered_json &report, const RunOptions &options,
                             const ReportFiles &files, std::ostream &out);
// Options under which a finding of any kind fails: `report` and `merge`
// have no --fail-on.
RunOptions failing_on_every_kind();

// The findings of `record`, from findings[first] on (json_report's, in the
// same order), each with its block of the text report as "report_text".
void add_report_texts(nlohmann::ordered_json &findings, const Record &record, size_t first);

}  // namespace racecheck
