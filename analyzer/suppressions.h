// suppressions.h — the suppressions file of `--suppressions FILE` (and the
// runtime option suppressions=FILE), in the spirit of TSan's: one rule a
// line, `KIND:PATTERN`, where KIND is a finding kind (race, deadlock,
// lock-order, livelock, starvation, crash, hang, misuse, failure,
// output-mismatch, or the JSON spelling: data-race, lock-order-cycle) and
// PATTERN a glob (`*`, `?`) matched, as a substring unless anchored with `^`
// or `$`, against every frame of the finding's stacks (function, demangled or
// linkage name, and file), its variable and its locks' names. `#` starts a
// comment. Filtering is the analyzer's: the runtime records every finding,
// so suppressions cost nothing while the program runs.
#pragma once

#include <iosfwd>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "finding.h"
#include "record.h"

namespace racecheck {

// A malformed suppressions file; what() is "FILE:LINE: problem".
class SuppressionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SuppressionRule {
  FindingKind kind = FindingKind::DataRace;
  std::string text;     // the rule as written, e.g. "race:copy_header"
  std::string pattern;  // the glob, anchors included
  int line = 0;
};

class Suppressions {
 public:
  // Parses `text`, naming `path` in errors.
  static Suppressions parse(const std::string &text, const std::string &path);
  // Reads and parses the file at `path` (an unreadable file is an error too).
  static Suppressions read_file(const std::string &path);

  bool empty() const { return rules_.empty(); }
  // The first rule that suppresses `finding`, or null.
  const SuppressionRule *match(const Record &record, const Finding &finding) const;
  // Removes the suppressed findings from record.findings and counts each under
  // its rule (findings are counted once per fingerprint, so a finding seen in
  // many schedules counts once). Thread-safe. Returns how many it removed.
  size_t apply(Record &record);
  // The same for a finding known only by its JSON report (`racecheck merge`
  // reads the shards' JSON): rules match the strings of its function,
  // mangled, file, name and object fields at any depth. Returns whether a
  // rule suppressed it (and counts it there, by its fingerprint).
  bool suppress_report(const nlohmann::ordered_json &report);
  // One line per rule: "racecheck: suppression FILE:LINE RULE suppressed N
  // finding(s)".
  void write_counts(std::ostream &out) const;
  // Findings suppressed by all rules together.
  size_t suppressed_count() const;

 private:
  const SuppressionRule *match_names(FindingKind kind, const std::vector<std::string> &names) const;
  void count(const SuppressionRule &rule, std::string fingerprint);

  std::string path_;
  std::vector<SuppressionRule> rules_;
  // Per rule, the fingerprints of the findings it suppressed.
  std::vector<std::set<std::string>> suppressed_;
  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();
};

}  // namespace racecheck
