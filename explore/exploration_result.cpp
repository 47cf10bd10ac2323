// exploration_result.cpp — see exploration_result.h.
#include "exploration_result.h"

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

}  // namespace racecheck
