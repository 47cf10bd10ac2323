// junit_report.h — the JUnit XML view of a report, for CI test views: one
// test case per finding kind and program, failing with the text report of
// that kind's findings. Rendered, like SARIF, from racecheck's JSON report
// (one run's or an exploration's).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace racecheck {

// `program` names the test cases' class ("racecheck.NAME", NAME its file
// name without directories); each
// finding's text is its "report_text" member, or its message without one.
std::string junit_report(const nlohmann::ordered_json &report, const std::string &program);

// `text` as XML character data or attribute value: markup escaped, bytes
// that are not UTF-8 and characters XML 1.0 forbids replaced by U+FFFD.
std::string xml_escaped(const std::string &text);

}  // namespace racecheck
