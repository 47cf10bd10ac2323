// baseline.cpp — see baseline.h.
#include "baseline.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "sarif_report.h"

namespace racecheck {

std::optional<std::set<std::string>> read_baseline(const std::string &path, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read the baseline " + path;
    return std::nullopt;
  }
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = "the baseline " + path + " is not JSON";
    return std::nullopt;
  }
  std::set<std::string> fingerprints;
  auto add = [&](const nlohmann::json &holder, const char *key) {
    if (holder.is_object() && holder.contains(key) && holder[key].is_string())
      fingerprints.insert(holder[key].get<std::string>());
  };
  if (doc.contains("findings") && doc["findings"].is_array()) {
    for (const auto &f : doc["findings"]) add(f, "fingerprint");
    return fingerprints;
  }
  if (doc.contains("runs") && doc["runs"].is_array()) {
    for (const auto &run : doc["runs"])
      if (run.is_object() && run.contains("results") && run["results"].is_array())
        for (const auto &r : run["results"])
          if (r.is_object() && r.contains("partialFingerprints"))
            add(r["partialFingerprints"], kSarifFingerprintKey);
    return fingerprints;
  }
  error = "the baseline " + path +
          " is neither a racecheck JSON report (--json) nor a racecheck SARIF log (--sarif)";
  return std::nullopt;
}

}  // namespace racecheck
