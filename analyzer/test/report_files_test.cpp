// report_files_test.cpp — the SARIF and JUnit writers on hand-made JSON
// reports: URIs, source-root relative paths, thread flows in interleaving
// order, fingerprints, XML escaping, and the baseline reader.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "baseline.h"
#include "junit_report.h"
#include "sarif_report.h"

namespace racecheck {
namespace {

using Json = nlohmann::ordered_json;

Json frame(const std::string &file, int line) {
  return {{"file", file}, {"line", line}, {"column", 3}, {"function", "worker"}};
}

Json race_report() {
  Json previous = {{"role", "previous"},
                   {"thread", "T1"},
                   {"access", "write"},
                   {"location", frame("/src/p/a.c", 10)},
                   {"stack", Json::array({frame("/usr/include/x.h", 5), frame("/src/p/a.c", 10)})}};
  Json current = {{"role", "current"},
                  {"thread", "T2"},
                  {"access", "read"},
                  {"location", frame("/src/p/a.c", 20)},
                  {"stack", Json::array({frame("/src/p/a.c", 20)})}};
  Json finding = {{"kind", "data-race"},
                  {"fingerprint", "0123456789abcdef"},
                  {"message", "data race on x (a.c:20 vs a.c:10)"},
                  {"accesses", Json::array({current, previous})},
                  {"waiters", Json::array()},
                  {"schedule", "racecheck-out/finding-1.schedule"},
                  {"report_text", "WARNING: racecheck: data race <&>\n"}};
  return {{"program", "./p"}, {"findings", Json::array({finding})}};
}

TEST(SarifReport, RaceHasBothAccessesInInterleavingOrder) {
  Json log = sarif_report(race_report(), SarifOptions{"/src/p"});
  EXPECT_EQ(log["version"], "2.1.0");
  const Json &run = log["runs"][0];
  EXPECT_EQ(run["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///src/p/");
  const Json &result = run["results"][0];
  EXPECT_EQ(result["ruleId"], "data-race");
  EXPECT_EQ(run["tool"]["driver"]["rules"][result["ruleIndex"].get<int>()]["id"], "data-race");
  EXPECT_EQ(result["partialFingerprints"][kSarifFingerprintKey], "0123456789abcdef");
  EXPECT_EQ(result["properties"]["replay"], "racecheck replay racecheck-out/finding-1.schedule");
  // The primary location is the later access, relative to the source root.
  const Json &primary = result["locations"][0]["physicalLocation"];
  EXPECT_EQ(primary["artifactLocation"]["uri"], "a.c");
  EXPECT_EQ(primary["artifactLocation"]["uriBaseId"], "SRCROOT");
  EXPECT_EQ(primary["region"]["startLine"], 20);
  // The earlier access first; the system-header frame skipped for the user's.
  const Json &flows = result["codeFlows"][0]["threadFlows"];
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_EQ(flows[0]["id"], "T1");
  EXPECT_EQ(flows[0]["locations"][0]["executionOrder"], 1);
  EXPECT_EQ(flows[0]["locations"][0]["location"]["physicalLocation"]["region"]["startLine"], 10);
  EXPECT_EQ(flows[1]["id"], "T2");
  EXPECT_EQ(flows[1]["locations"][0]["executionOrder"], 2);
  EXPECT_EQ(result["relatedLocations"].size(), 2u);
}

TEST(SarifReport, PathsOutsideTheRootAreAbsoluteUris) {
  Json log = sarif_report(race_report(), SarifOptions{"/elsewhere"});
  const Json &art =
      log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(art["uri"], "file:///src/p/a.c");
  EXPECT_FALSE(art.contains("uriBaseId"));
}

TEST(SarifReport, SourceRootIsNormalised) {
  Json log = sarif_report(race_report(), SarifOptions{"/src/./q/../p/"});
  EXPECT_EQ(log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///src/p/");
  EXPECT_EQ(
      log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
      "a.c");
}

TEST(SarifReport, UrisPercentEncodeAndTextIsUtf8) {
  EXPECT_EQ(path_to_uri("/a b/caf\xe9.c"), "file:///a%20b/caf%E9.c");
  EXPECT_EQ(path_to_uri("dir/x#1.c"), "dir/x%231.c");
  Json report = race_report();
  report["findings"][0]["message"] = "race on caf\xe9";
  const std::string text = sarif_text(sarif_report(report, SarifOptions{"/src/p"}));
  EXPECT_NE(text.find("caf\xef\xbf\xbd"), std::string::npos);  // U+FFFD
  EXPECT_EQ(text.find("_bytes"), std::string::npos);           // no extra members
}

TEST(SarifReport, CycleHoldsBeforeWaits) {
  Json step1 = {{"thread", "T1"},
                {"holds",
                 {{"description", "mutex 'a'"},
                  {"acquired_at", frame("/src/p/c.c", 5)},
                  {"acquisition_stack", Json::array()}}},
                {"wants",
                 {{"description", "mutex 'b'"},
                  {"location", frame("/src/p/c.c", 6)},
                  {"stack", Json::array()}}}};
  Json step2 = {{"thread", "T2"},
                {"holds",
                 {{"description", "mutex 'b'"},
                  {"acquired_at", frame("/src/p/c.c", 12)},
                  {"acquisition_stack", Json::array()}}},
                {"wants",
                 {{"description", "mutex 'a'"},
                  {"location", frame("/src/p/c.c", 13)},
                  {"stack", Json::array()}}}};
  Json finding = {{"kind", "lock-order-cycle"},
                  {"fingerprint", "ffff"},
                  {"message", "lock-order cycle"},
                  {"lock_order_cycle", {{"hold_and_wait", Json::array({step1, step2})}}}};
  Json log = sarif_report({{"findings", Json::array({finding})}}, SarifOptions{"/src/p"});
  const Json &result = log["runs"][0]["results"][0];
  ASSERT_EQ(result["relatedLocations"].size(), 4u);
  std::vector<int> lines;
  for (const Json &l : result["relatedLocations"])
    lines.push_back(l["physicalLocation"]["region"]["startLine"]);
  EXPECT_EQ(lines, (std::vector<int>{5, 12, 6, 13}));
  const Json &flows = result["codeFlows"][0]["threadFlows"];
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_EQ(flows[0]["locations"][1]["executionOrder"], 3);  // T1's wait after both holds
  // The wait that closes the cycle is the primary location.
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 13);
}

TEST(JunitReport, OneCasePerKindFailingWithEscapedText) {
  const std::string xml = junit_report(race_report(), "p\x01");
  EXPECT_NE(xml.find("<testcase classname=\"racecheck.p\xef\xbf\xbd\" name=\"data-race\">"),
            std::string::npos);
  EXPECT_NE(xml.find("data race &lt;&amp;&gt;"), std::string::npos);
  EXPECT_NE(xml.find("<testcase classname=\"racecheck.p\xef\xbf\xbd\" name=\"deadlock\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("failures=\"1\""), std::string::npos);
}

TEST(Baseline, ReadsJsonReportsAndSarifLogs) {
  const std::string json_path = testing::TempDir() + "baseline.json";
  const std::string sarif_path = testing::TempDir() + "baseline.sarif";
  std::ofstream(json_path) << race_report().dump();
  std::ofstream(sarif_path) << sarif_report(race_report(), SarifOptions{}).dump();
  std::string error;
  for (const std::string &path : {json_path, sarif_path}) {
    auto fingerprints = read_baseline(path, error);
    ASSERT_TRUE(fingerprints) << error;
    EXPECT_EQ(*fingerprints, std::set<std::string>{"0123456789abcdef"});
  }
  std::ofstream(json_path) << "[1]";
  EXPECT_FALSE(read_baseline(json_path, error));
  EXPECT_FALSE(read_baseline(json_path + ".missing", error));
  std::remove(json_path.c_str());
  std::remove(sarif_path.c_str());
}

}  // namespace
}  // namespace racecheck
