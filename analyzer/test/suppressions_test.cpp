// suppressions_test.cpp — parsing of suppressions files, matching against
// every frame, variable and lock name, and the per-rule counts.
#include <gtest/gtest.h>

#include <sstream>

#include "suppressions.h"
#include "test_data.h"

namespace racecheck {
namespace {

Suppressions rules(const std::string &text) { return Suppressions::parse(text, "s.txt"); }

TEST(Suppressions, MatchesAFrameDeepInTheStackDemangled) {
  Record r = test::load_fixture("bank.record");
  ASSERT_EQ(r.findings.size(), 1u);
  // Bank::deposit is the accessing function; worker calls it.
  EXPECT_NE(rules("race:Bank::deposit").match(r, r.findings[0]), nullptr);
  EXPECT_NE(rules("race:^worker(").match(r, r.findings[0]), nullptr);  // worker(void*)
  EXPECT_NE(rules("race:_ZN4Bank7depositEi").match(r, r.findings[0]), nullptr);
  EXPECT_NE(rules("race:bank.cpp").match(r, r.findings[0]), nullptr);
  EXPECT_NE(rules("race:checking").match(r, r.findings[0]), nullptr);  // the variable
  EXPECT_EQ(rules("race:^Bank$").match(r, r.findings[0]), nullptr);
  EXPECT_EQ(rules("race:withdraw").match(r, r.findings[0]), nullptr);
  // Another kind's rule never applies.
  EXPECT_EQ(rules("deadlock:Bank").match(r, r.findings[0]), nullptr);
}

TEST(Suppressions, ApplyRemovesAndCountsPerRule) {
  Record r = test::load_fixture("bank.record");
  Suppressions s = rules("# known\nrace:nothing_here\n\nrace:Bank::*\n");
  EXPECT_EQ(s.apply(r), 1u);
  EXPECT_TRUE(r.findings.empty());
  Record again = test::load_fixture("bank.record");
  s.apply(again);  // the same finding in another schedule counts once
  EXPECT_EQ(s.suppressed_count(), 1u);
  std::ostringstream out;
  s.write_counts(out);
  EXPECT_EQ(out.str(), "racecheck: suppression s.txt:2 race:nothing_here suppressed 0 findings\n"
                       "racecheck: suppression s.txt:4 race:Bank::* suppressed 1 finding\n");
}

TEST(Suppressions, DeadlockByFunctionOrLockName) {
  Record r = test::load_fixture("deadlock.record");
  ASSERT_FALSE(r.findings.empty());
  const Finding &deadlock = r.findings[0];
  ASSERT_EQ(deadlock.kind, FindingKind::Deadlock);
  EXPECT_NE(rules("deadlock:lock_ba").match(r, deadlock), nullptr);
  EXPECT_NE(rules("deadlock:mutex 'b'").match(r, deadlock), nullptr);
  EXPECT_EQ(rules("race:lock_ba").match(r, deadlock), nullptr);
  EXPECT_EQ(rules("lock-order:lock_ba\nlivelock:*").match(r, deadlock), nullptr);
}

TEST(Suppressions, MalformedLinesAreErrorsWithLineNumbers) {
  try {
    rules("race:ok\n\nno colon here\n");
    FAIL() << "no error";
  } catch (const SuppressionError &e) {
    EXPECT_EQ(std::string(e.what()).rfind("s.txt:3: ", 0), 0u) << e.what();
  }
  EXPECT_THROW(rules("mutex:foo"), SuppressionError);
  EXPECT_THROW(rules("race:"), SuppressionError);
  EXPECT_THROW(Suppressions::read_file("/nonexistent/supp"), SuppressionError);
  // Every kind has a spelling.
  EXPECT_NO_THROW(rules("race:a\ndeadlock:a\nlock-order:a\nlivelock:a\nstarvation:a\ncrash:a\n"
                        "hang:a\nmisuse:a\nfailure:a\noutput-mismatch:a\ndata-race:a\n"
                        "lock-order-cycle:a\n"));
}

}  // namespace
}  // namespace racecheck
