// suppressions.cpp — parsing and matching of suppressions files
// (suppressions.h).
#include "suppressions.h"

#include <fnmatch.h>

#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string_view>

#include "fingerprint.h"
#include "source_frames.h"

namespace racecheck {
namespace {

std::optional<FindingKind> rule_kind(std::string_view name) {
  if (name == "race") return FindingKind::DataRace;
  if (name == "lock-order") return FindingKind::LockOrderCycle;
  return parse_finding_kind(name);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// TSan's template semantics: a substring match unless `^` anchors the start
// or `$` the end; `*` and `?` are wildcards.
std::string to_fnmatch(std::string_view pattern) {
  std::string out;
  if (!pattern.empty() && pattern.front() == '^')
    pattern.remove_prefix(1);
  else
    out += '*';
  bool anchored_end = !pattern.empty() && pattern.back() == '$';
  if (anchored_end) pattern.remove_suffix(1);
  out += pattern;
  if (!anchored_end) out += '*';
  return out;
}

// Every name a rule may match in `finding`: the functions and files of all
// its stacks, its variable and its locks.
std::vector<std::string> finding_names(const Record &record, const Finding &finding) {
  std::vector<std::string> names;
  auto add_stack = [&](int site, int stack) {
    if (site == kNoId && stack <= 0) return;
    for (const SourceFrame &frame : source_stack(record, site, stack)) {
      names.push_back(frame.function);
      if (frame.mangled != frame.function) names.push_back(frame.mangled);
      names.push_back(frame.file);
    }
  };
  auto add_lock = [&](int id) {
    auto it = record.locks.find(id);
    if (it != record.locks.end() && !it->second.name.empty()) names.push_back(it->second.name);
  };
  for (const Access &a : finding.accesses) add_stack(a.site, a.stack);
  for (const Waiter &w : finding.waiters) {
    add_stack(w.site, w.stack);
    names.push_back(w.object);
  }
  for (const LockEdge &e : finding.cycle) {
    add_stack(e.site, e.stack);
    add_stack(e.held.acquire_site, e.held.acquire_stack);
    add_lock(e.lock);
    add_lock(e.held.lock);
  }
  if (finding.fault)
    for (const SourceFrame &frame : finding.fault->frames) {
      names.push_back(frame.function);
      names.push_back(frame.file);
    }
  if (finding.variable) {
    names.push_back(finding.variable->name);
    if (!finding.variable->field.empty())
      names.push_back(finding.variable->name + "." + finding.variable->field);
  }
  return names;
}

}  // namespace

Suppressions Suppressions::parse(const std::string &text, const std::string &path) {
  Suppressions s;
  s.path_ = path;
  std::istringstream in(text);
  std::string raw;
  for (int line = 1; std::getline(in, raw); ++line) {
    std::string_view rule = trim(raw);
    if (rule.empty() || rule.front() == '#') continue;
    auto where = [&] { return path + ":" + std::to_string(line) + ": "; };
    size_t colon = rule.find(':');
    if (colon == std::string_view::npos)
      throw SuppressionError(where() + "expected KIND:PATTERN, got '" + std::string(rule) + "'");
    std::string_view kind = trim(rule.substr(0, colon));
    std::string_view pattern = trim(rule.substr(colon + 1));
    std::optional<FindingKind> parsed = rule_kind(kind);
    if (!parsed)
      throw SuppressionError(where() + "unknown kind '" + std::string(kind) +
                             "' (race, deadlock, lock-order, livelock, starvation, crash, hang, "
                             "misuse, failure, output-mismatch)");
    if (pattern.empty() || pattern == "^" || pattern == "$" || pattern == "^$")
      throw SuppressionError(where() + "empty pattern");
    s.rules_.push_back({*parsed, std::string(rule), std::string(pattern), line});
  }
  s.suppressed_.resize(s.rules_.size());
  return s;
}

Suppressions Suppressions::read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SuppressionError(path + ": cannot read the suppressions file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

const SuppressionRule *Suppressions::match_names(FindingKind kind,
                                                 const std::vector<std::string> &names) const {
  for (const SuppressionRule &rule : rules_) {
    if (rule.kind != kind) continue;
    std::string glob = to_fnmatch(rule.pattern);
    for (const std::string &name : names)
      if (!name.empty() && fnmatch(glob.c_str(), name.c_str(), 0) == 0) return &rule;
  }
  return nullptr;
}

const SuppressionRule *Suppressions::match(const Record &record, const Finding &finding) const {
  for (const SuppressionRule &rule : rules_)
    if (rule.kind == finding.kind) return match_names(finding.kind, finding_names(record, finding));
  return nullptr;
}

void Suppressions::count(const SuppressionRule &rule, std::string fingerprint) {
  std::lock_guard<std::mutex> lock(*mutex_);
  suppressed_[&rule - rules_.data()].insert(std::move(fingerprint));
}

bool Suppressions::suppress_report(const nlohmann::ordered_json &report) {
  if (rules_.empty() || !report.is_object() || !report.contains("kind")) return false;
  std::optional<FindingKind> kind = parse_finding_kind(report["kind"].get<std::string>());
  if (!kind) return false;
  std::vector<std::string> names;
  auto collect = [&names](const nlohmann::ordered_json &value, auto &self) -> void {
    if (value.is_array()) {
      for (const auto &item : value) self(item, self);
    } else if (value.is_object()) {
      for (const auto &[key, item] : value.items()) {
        if (item.is_string() && (key == "function" || key == "mangled" || key == "file" ||
                                 key == "name" || key == "object"))
          names.push_back(item.get<std::string>());
        else
          self(item, self);
      }
    }
  };
  collect(report, collect);
  const SuppressionRule *rule = match_names(*kind, names);
  if (!rule) return false;
  count(*rule, report.value("fingerprint", std::string()));
  return true;
}

size_t Suppressions::apply(Record &record) {
  if (rules_.empty()) return 0;
  size_t removed = 0;
  std::vector<Finding> kept;
  for (Finding &finding : record.findings) {
    const SuppressionRule *rule = match(record, finding);
    if (!rule) {
      kept.push_back(std::move(finding));
      continue;
    }
    count(*rule, finding_fingerprint(record, finding));
    ++removed;
  }
  record.findings = std::move(kept);
  return removed;
}

size_t Suppressions::suppressed_count() const {
  std::lock_guard<std::mutex> lock(*mutex_);
  size_t n = 0;
  for (const auto &set : suppressed_) n += set.size();
  return n;
}

void Suppressions::write_counts(std::ostream &out) const {
  std::lock_guard<std::mutex> lock(*mutex_);
  for (size_t i = 0; i < rules_.size(); ++i) {
    size_t n = suppressed_[i].size();
    out << "racecheck: suppression " << path_ << ":" << rules_[i].line << " " << rules_[i].text
        << " suppressed " << n << (n == 1 ? " finding\n" : " findings\n");
  }
}

}  // namespace racecheck
