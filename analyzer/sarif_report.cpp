// sarif_report.cpp — renders racecheck's JSON report as a SARIF 2.1.0 log
// (see sarif_report.h). Only members the SARIF schema defines are written;
// racecheck's own facts go in "properties" bags.
#include "sarif_report.h"

#include <filesystem>
#include <map>

#include "finding.h"
#include "racecheck/record_format.h"
#include "source_paths.h"
#include "version.h"

namespace racecheck {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char kSchemaUri[] = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char kSourceRootId[] = "SRCROOT";

// One line per rule, shown by code-scanning views beside the rule id.
const char *rule_description(FindingKind kind) {
  switch (kind) {
    case FindingKind::DataRace:
      return "Two threads access the same memory without synchronisation, and one access writes";
    case FindingKind::Deadlock:
      return "Every remaining thread waits for another: the program hangs";
    case FindingKind::LockOrderCycle:
      return "Threads take locks in orders that form a cycle: a schedule can deadlock";
    case FindingKind::Livelock: return "Threads keep running without making progress";
    case FindingKind::Starvation:
      return "A thread waits for a resource while others take it again and again";
    case FindingKind::Crash: return "The program was killed by a signal under this schedule";
    case FindingKind::Hang: return "The program stops making progress under this schedule";
    case FindingKind::Failure:
      return "The program fails under this schedule but not under the reference schedule";
    case FindingKind::OutputMismatch:
      return "The program's output under this schedule differs from the expected output";
    case FindingKind::Misuse: return "A call the threads API forbids";
  }
  return "";
}

// output-mismatch does not fail a run by default: a warning, the rest errors.
const char *rule_level(FindingKind kind) {
  return kind == FindingKind::OutputMismatch ? "warning" : "error";
}

Json rules_json() {
  Json rules = Json::array();
  for (int k = 0; k < RC_RECORD_FINDING_KIND_COUNT; ++k) {
    const std::string id = rc_record_finding_kind_name(static_cast<rc_record_finding_kind>(k));
    const FindingKind kind = *parse_finding_kind(id);
    Json rule;
    rule["id"] = id;
    rule["name"] = id;
    rule["shortDescription"] = {{"text", rule_description(kind)}};
    rule["defaultConfiguration"] = {{"level", rule_level(kind)}};
    rule["properties"] = {{"tags", Json::array({"concurrency"})}};
    rules.push_back(std::move(rule));
  }
  return rules;
}

// Paths of the report as SARIF artifact locations.
class Paths {
 public:
  explicit Paths(const std::string &source_root)
      : root_(normal(absolute(source_root.empty() ? display_base() : source_root))) {}

  const std::string &root() const { return root_; }

  Json artifact(const std::string &file) const {
    const std::string full = absolute(file);
    const std::string relative = root_.empty() ? full : path_relative_to(full, root_);
    if (relative != full && !relative.empty() && relative[0] != '/')
      return {{"uri", path_to_uri(relative)}, {"uriBaseId", kSourceRootId}};
    return {{"uri", path_to_uri(full)}};
  }

 private:
  // Report paths are shown relative to the display base when under it.
  static std::string absolute(const std::string &file) {
    if (file.empty() || file[0] == '/' || display_base().empty()) return file;
    return display_base() + "/" + file;
  }
  // "/a/./b/" as "/a/b": the base URI gets exactly one trailing "/".
  static std::string normal(const std::string &directory) {
    std::string path = std::filesystem::path(directory).lexically_normal().string();
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path;
  }
  std::string root_;
};

bool is_location(const Json &j) {
  return j.is_object() && j.contains("file") && j["file"].is_string();
}

// The frame a user reads first: the innermost outside system headers and
// libraries, as the text report's "file:line" (user_position) picks it.
const Json *user_frame(const Json &location, const Json &stack) {
  if (stack.is_array())
    for (const Json &f : stack) {
      if (!is_location(f) || f.value("through_uninstrumented_code", false)) continue;
      if (f["file"].get<std::string>().rfind("/usr/", 0) == 0) continue;
      return &f;
    }
  return is_location(location) ? &location : nullptr;
}

Json physical_location(const Paths &paths, const Json &frame) {
  Json physical;
  physical["artifactLocation"] = paths.artifact(frame["file"].get<std::string>());
  const int line = frame.value("line", 0), column = frame.value("column", 0);
  if (line > 0) {
    physical["region"] = {{"startLine", line}};
    if (column > 0) physical["region"]["startColumn"] = column;
  }
  return physical;
}

Json location_json(const Paths &paths, const Json &frame, const std::string &message) {
  Json location;
  location["physicalLocation"] = physical_location(paths, frame);
  if (frame.contains("function") && frame["function"].is_string() &&
      !frame["function"].get<std::string>().empty())
    location["logicalLocations"] =
        Json::array({{{"fullyQualifiedName", frame["function"]}, {"kind", "function"}}});
  if (!message.empty()) location["message"] = {{"text", message}};
  return location;
}

Json stack_json(const Paths &paths, const Json &stack) {
  Json frames = Json::array();
  if (stack.is_array())
    for (const Json &f : stack)
      if (is_location(f)) frames.push_back({{"location", location_json(paths, f, "")}});
  return {{"frames", std::move(frames)}};
}

// One event of the failing interleaving: a thread at a position.
struct Step {
  std::string thread;
  Json frame;  // the user frame
  Json stack;
  std::string message;
};

void add_step(std::vector<Step> &steps, const std::string &thread, const Json &location,
              const Json &stack, const std::string &message) {
  if (const Json *frame = user_frame(location, stack))
    steps.push_back({thread, *frame, stack, message});
}

std::string str(const Json &j, const char *key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// The finding's events in interleaving order: the earlier access before the
// later, every cycle step's acquisition before any step's wait (each thread
// holds its lock when the cycle closes), waits in the order reported.
std::vector<Step> finding_steps(const Json &finding) {
  std::vector<Step> steps;
  const Json &accesses = finding.value("accesses", Json::array());
  for (const char *role : {"previous", "current"})
    for (const Json &a : accesses)
      if (str(a, "role") == role)
        add_step(steps, str(a, "thread"), a["location"], a["stack"],
                 std::string(role) + " " + str(a, "access") + " by " + str(a, "thread"));
  if (finding.contains("lock_order_cycle")) {
    const Json &cycle = finding["lock_order_cycle"].value("hold_and_wait", Json::array());
    for (const Json &step : cycle)
      add_step(steps, str(step, "thread"), step["holds"]["acquired_at"],
               step["holds"]["acquisition_stack"],
               str(step, "thread") + " acquires " + str(step["holds"], "description"));
    for (const Json &step : cycle)
      add_step(steps, str(step, "thread"), step["wants"]["location"], step["wants"]["stack"],
               str(step, "thread") + " waits for " + str(step["wants"], "description") +
                   " while holding " + str(step["holds"], "description"));
  }
  for (const Json &w : finding.value("waiters", Json::array())) {
    std::string what = str(w, "thread") + " " + str(w, "operation");
    if (!str(w, "object").empty()) what += " " + str(w, "object");
    add_step(steps, str(w, "thread"), w["location"], w["stack"], what);
  }
  return steps;
}

// One threadFlow per thread (in order of first appearance), each step with
// its global executionOrder so the interleaving can be read across flows.
Json code_flow_json(const Paths &paths, const std::vector<Step> &steps) {
  std::vector<std::string> threads;
  std::map<std::string, Json> flows;
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step &s = steps[i];
    if (!flows.count(s.thread)) {
      threads.push_back(s.thread);
      flows[s.thread] = Json::array();
    }
    Json location;
    location["location"] = location_json(paths, s.frame, s.message);
    if (s.stack.is_array() && !s.stack.empty()) location["stack"] = stack_json(paths, s.stack);
    location["executionOrder"] = i + 1;
    flows[s.thread].push_back(std::move(location));
  }
  Json thread_flows = Json::array();
  for (const std::string &t : threads)
    thread_flows.push_back({{"id", t.empty() ? "T?" : t}, {"locations", std::move(flows[t])}});
  return {{"threadFlows", std::move(thread_flows)}};  // an object: one member
}

Json result_json(const Paths &paths, const Json &finding, int rule_index) {
  const std::string kind = str(finding, "kind");
  Json result;
  result["ruleId"] = kind;
  if (rule_index >= 0) result["ruleIndex"] = rule_index;
  const std::optional<FindingKind> parsed = parse_finding_kind(kind);
  result["level"] = parsed ? rule_level(*parsed) : "error";
  result["message"] = {{"text", str(finding, "message")}};
  const std::vector<Step> steps = finding_steps(finding);
  // The primary location is the event that completes the finding: the
  // later access, the wait that closes the cycle, the first waiter.
  Json locations = Json::array();
  if (!steps.empty()) {
    size_t primary = finding.contains("lock_order_cycle") ? steps.size() - 1 : 0;
    if (!finding.value("accesses", Json::array()).empty()) primary = steps.size() > 1 ? 1 : 0;
    locations.push_back(location_json(paths, steps[primary].frame, ""));
  }
  result["locations"] = std::move(locations);
  if (!steps.empty()) {
    Json related = Json::array();
    for (size_t i = 0; i < steps.size(); ++i) {
      Json l = location_json(paths, steps[i].frame, steps[i].message);
      l["id"] = i;
      related.push_back(std::move(l));
    }
    result["relatedLocations"] = std::move(related);
    result["codeFlows"] = Json::array({code_flow_json(paths, steps)});
  }
  if (!str(finding, "fingerprint").empty())
    result["partialFingerprints"] = {{kSarifFingerprintKey, finding["fingerprint"]}};
  Json properties = Json::object();
  if (!str(finding, "schedule").empty())
    properties["replay"] = "racecheck replay " + str(finding, "schedule");
  for (const char *key : {"seen_in", "first_seed", "process", "details", "misuse"})
    if (finding.contains(key) && !(finding[key].is_array() && finding[key].empty()))
      properties[key] = finding[key];
  if (!properties.empty()) result["properties"] = std::move(properties);
  return result;
}

}  // namespace

nlohmann::ordered_json sarif_report(const nlohmann::ordered_json &report,
                                    const SarifOptions &options) {
  const Paths paths(options.source_root);
  Json driver;
  driver["name"] = "racecheck";
  driver["version"] = kRacecheckVersion;
  driver["rules"] = rules_json();
  std::map<std::string, int> rule_index;
  for (size_t i = 0; i < driver["rules"].size(); ++i)
    rule_index[driver["rules"][i]["id"].get<std::string>()] = int(i);

  Json results = Json::array();
  for (const Json &finding : report.value("findings", Json::array())) {
    auto it = rule_index.find(str(finding, "kind"));
    results.push_back(result_json(paths, finding, it == rule_index.end() ? -1 : it->second));
  }
  Json run;
  run["tool"] = {{"driver", std::move(driver)}};
  if (!paths.root().empty())
    run["originalUriBaseIds"] = {
        {kSourceRootId, {{"uri", path_to_uri(paths.root() == "/" ? "/" : paths.root() + "/")}}}};
  run["results"] = std::move(results);
  Json invocation = {{"executionSuccessful", true}};
  Json facts = Json::object();
  for (const char *key : {"program", "seed", "strategy", "exploration"})
    if (report.contains(key)) facts[key] = report[key];
  if (!facts.empty()) invocation["properties"] = std::move(facts);
  run["invocations"] = Json::array({std::move(invocation)});
  run["columnKind"] = "unicodeCodePoints";

  Json log;
  log["$schema"] = kSchemaUri;
  log["version"] = "2.1.0";
  log["runs"] = Json::array({std::move(run)});
  return log;
}

std::string sarif_text(const nlohmann::ordered_json &log) {
  return log.dump(2, ' ', false, Json::error_handler_t::replace);
}

std::string path_to_uri(const std::string &path) {
  // RFC 3986 unreserved characters and "/" pass; every other byte is
  // percent-encoded, which also keeps bytes that are not UTF-8 intact.
  std::string uri = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == '/') {
      uri += char(c);
    } else {
      uri += '%';
      uri += "0123456789ABCDEF"[c >> 4];
      uri += "0123456789ABCDEF"[c & 15];
    }
  }
  return uri;
}

}  // namespace racecheck
