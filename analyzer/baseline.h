// baseline.h — the findings a project already knows about: the fingerprints
// of an earlier report, so a run fails only on findings not among them.
#pragma once

#include <optional>
#include <set>
#include <string>

namespace racecheck {

// The fingerprints in a racecheck JSON report (its findings' "fingerprint")
// or a SARIF log racecheck wrote (its results' partialFingerprints).
// nullopt with `error` set when the file cannot be read or holds neither.
std::optional<std::set<std::string>> read_baseline(const std::string &path, std::string &error);

}  // namespace racecheck
