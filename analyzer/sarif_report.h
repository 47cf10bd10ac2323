// sarif_report.h — the SARIF 2.1.0 log of a report, for code-scanning views
// (GitHub, GitLab, IDEs). It is rendered from racecheck's JSON report (one
// run's or an exploration's, json_report.h / exploration_json.h), so every
// verb that can write JSON can write SARIF the same way: one result per
// finding, rule ids are the finding kinds, the accesses / waits / cycle
// steps become relatedLocations and one codeFlow with a threadFlow per
// thread, and partialFingerprints carry the finding's stable fingerprint.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace racecheck {

struct SarifOptions {
  // Paths under this directory are written relative to it, with uriBaseId
  // "SRCROOT"; others as absolute file: URIs. "": the display base (the
  // working directory), as the text report shortens paths.
  std::string source_root;
};

// The key of partialFingerprints holding finding_fingerprint().
constexpr const char kSarifFingerprintKey[] = "racecheckFingerprint/v1";

nlohmann::ordered_json sarif_report(const nlohmann::ordered_json &report,
                                    const SarifOptions &options);

// The log's text: valid UTF-8 (invalid bytes in a string become U+FFFD;
// SARIF objects admit no extra members to carry the bytes).
std::string sarif_text(const nlohmann::ordered_json &log);

// "file:///a%20b/c.c": an absolute path as a file URI, or a relative one as
// a relative URI reference, percent-encoding what RFC 3986 does not allow.
std::string path_to_uri(const std::string &path);

}  // namespace racecheck
