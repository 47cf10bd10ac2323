// exploration_result.cpp — see exploration_result.h.
#include "exploration_result.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "json_report.h"
#include "text_report.h"

namespace racecheck {

void describe_finding(ExploredFinding &finding) {
  finding.report = json_report(finding.first_record)["findings"][0];
  TextReportOptions text_options;
  text_options.summary = false;
  std::ostringstream text;
  write_text_report(text, finding.first_record, text_options);
  finding.report_text = text.str();
}

bool fails_on(const RunOptions &options, FindingKind kind) {
  if (options.fail_on.empty()) return kind != FindingKind::OutputMismatch;
  return std::find(options.fail_on.begin(), options.fail_on.end(), finding_kind_name(kind)) !=
         options.fail_on.end();
}

bool has_failing_finding(const RunOptions &options, const Record &record) {
  return std::any_of(record.findings.begin(), record.findings.end(),
                     [&](const Finding &f) { return fails_on(options, f.kind); });
}

uint64_t PctBound::schedules_counted() const {
  return uint64_t(std::count_if(schedule_steps.begin(), schedule_steps.end(),
                                [&](uint64_t k) { return k >= steps; }));
}

double PctBound::confidence() const {
  if (threads == 0) return 0;
  // log(1 - p) summed, so that thousands of tiny p lose no precision.
  double log_miss = 0;
  for (uint64_t k : schedule_steps) {
    if (k < steps) continue;  // its change points could not reach the last steps
    double p = 1.0 / (double(threads) * std::pow(double(k), double(depth) - 1));
    log_miss += std::log1p(-p);
  }
  return -std::expm1(log_miss);
}

}  // namespace racecheck
