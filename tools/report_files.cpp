// report_files.cpp — see report_files.h.
#include "report_files.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "baseline.h"
#include "exploration_result.h"
#include "junit_report.h"
#include "racecheck/record_format.h"
#include "sarif_report.h"
#include "text_report.h"
#include "untrusted_input.h"

namespace racecheck {
namespace {

bool write_text_file(const std::string &text, const std::string &path, const char *what) {
  if (path == "-") {
    std::cout << text;
    return bool(std::cout.flush());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  out.close();
  if (!out) {
    std::cerr << "racecheck: error: cannot write the " << what << " to " << terminal_safe(path)
              << "\n";
    return false;
  }
  return true;
}

}  // namespace

void add_report_file_options(CLI::App *verb, ReportFiles &files) {
  verb->add_option("--sarif", files.sarif_path,
                   "Also write the findings as a SARIF 2.1.0 log to FILE ('-': stdout), for code "
                   "scanning");
  verb->add_option("--junit", files.junit_path,
                   "Also write a JUnit XML file to FILE ('-': stdout): one test case per finding "
                   "kind, failing with the kind's text report");
  verb->add_option("--source-root", files.source_root,
                   "The directory SARIF paths are relative to (default: the working directory)");
  verb->add_option("--baseline", files.baseline_path,
                   "A JSON report (--json) or SARIF log (--sarif) of known findings: findings "
                   "with a fingerprint in it are listed as known and do not make the exit "
                   "status 66");
}

bool load_baseline(ReportFiles &files) {
  if (files.baseline_path.empty()) return true;
  std::string error;
  std::optional<std::set<std::string>> fingerprints = read_baseline(files.baseline_path, error);
  if (!fingerprints) {
    std::cerr << "racecheck: error: " << terminal_safe(error) << "\n";
    return false;
  }
  files.baseline = std::move(*fingerprints);
  return true;
}

bool write_report_files(const nlohmann::ordered_json &report, const std::string &program,
                        const ReportFiles &files) {
  if (!files.sarif_path.empty()) {
    SarifOptions options;
    options.source_root = files.source_root;
    if (!write_text_file(sarif_text(sarif_report(report, options)) + "\n", files.sarif_path,
                         "SARIF log"))
      return false;
  }
  if (!files.junit_path.empty() &&
      !write_text_file(junit_report(report, program), files.junit_path, "JUnit report"))
    return false;
  return true;
}

bool has_new_failing_finding(const nlohmann::ordered_json &report, const RunOptions &options,
                             const ReportFiles &files, std::ostream &out) {
  bool failing = false;
  std::vector<const nlohmann::ordered_json *> known;
  static const nlohmann::ordered_json kNone = nlohmann::ordered_json::array();
  for (const auto &f : report.contains("findings") ? report["findings"] : kNone) {
    const std::string fingerprint = f.value("fingerprint", std::string());
    if (!files.baseline_path.empty() && files.baseline.count(fingerprint)) {
      known.push_back(&f);
      continue;
    }
    std::optional<FindingKind> kind = parse_finding_kind(f.value("kind", std::string()));
    if (kind && fails_on(options, *kind)) failing = true;
  }
  if (!known.empty()) {
    out << "racecheck: " << known.size() << " known finding" << (known.size() == 1 ? "" : "s")
        << " (in the baseline " << terminal_safe(files.baseline_path) << "), not failing:\n";
    for (const auto *f : known)
      out << "  known: " << f->value("fingerprint", std::string()) << " "
          << terminal_safe(f->value("message", std::string())) << "\n";
  }
  return failing;
}

RunOptions failing_on_every_kind() {
  RunOptions options;
  for (int k = 0; k < RC_RECORD_FINDING_KIND_COUNT; ++k)
    options.fail_on.push_back(rc_record_finding_kind_name(static_cast<rc_record_finding_kind>(k)));
  return options;
}

void add_report_texts(nlohmann::ordered_json &findings, const Record &record, size_t first) {
  TextReportOptions text_options;
  text_options.summary = false;
  Record one = record;
  for (size_t i = 0; i < record.findings.size() && first + i < findings.size(); ++i) {
    one.findings = {record.findings[i]};
    std::ostringstream text;
    write_text_report(text, one, text_options);
    findings[first + i]["report_text"] = text.str();
  }
}

}  // namespace racecheck
