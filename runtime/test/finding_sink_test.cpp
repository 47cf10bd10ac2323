// finding_sink_test.cpp — the finding sink (core/finding_sink.c): findings
// are kept in order up to max_findings, and a detector's request to end the
// run reaches the handler the top level registered, with its reason.
#include <csetjmp>

#include "test_support.h"

extern "C" {
#include "core/finding_sink.h"
}

namespace racecheck {
namespace {

std::jmp_buf g_ended;
rc_end_reason g_reason;
int g_signal;
int g_calls;

// Stands in for init.c's handler: records the call; for an end without a
// signal it leaves as the real one would (never returning to the detector).
void RecordingHandler(rc_end_reason reason, int exit_signal) {
  g_reason = reason;
  g_signal = exit_signal;
  g_calls++;
  if (exit_signal == 0) std::longjmp(g_ended, 1);
}

class FindingSinkTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    g_calls = 0;
    g_signal = -1;
    rc_finding_sink_set_end_handler(RecordingHandler);
  }
  void TearDown() override {
    rc_finding_sink_set_end_handler(nullptr);
    RuntimeTest::TearDown();
  }
};

rc_finding *NewFinding(rc_finding_kind kind) {
  rc_finding *f = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
  f->kind = kind;
  return f;
}

TEST_F(FindingSinkTest, KeepsFindingsInOrderUpToMaxFindings) {
  uint64_t saved = g_rt.options.max_findings;
  g_rt.options.max_findings = 2;
  rc_add_finding(NewFinding(RC_FINDING_DATA_RACE));
  rc_add_finding(NewFinding(RC_FINDING_DEADLOCK));
  rc_add_finding(NewFinding(RC_FINDING_LIVELOCK));  // beyond the limit
  g_rt.options.max_findings = saved;
  std::vector<const rc_finding *> found = Findings();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(g_rt.n_findings, 2u);
  EXPECT_EQ(found[0]->kind, RC_FINDING_DATA_RACE);
  EXPECT_EQ(found[1]->kind, RC_FINDING_DEADLOCK);
}

TEST_F(FindingSinkTest, EndRunReachesTheRegisteredHandlerWithItsReason) {
  rc_add_finding(NewFinding(RC_FINDING_LIVELOCK));
  if (setjmp(g_ended) == 0) {
    rc_end_run(RC_END_LIVELOCK);
    FAIL() << "rc_end_run returned";
  }
  EXPECT_EQ(g_calls, 1);
  EXPECT_EQ(g_reason, RC_END_LIVELOCK);
  EXPECT_EQ(g_signal, 0);
  EXPECT_EQ(Findings().size(), 1u);  // the sink ends nothing by itself
}

TEST_F(FindingSinkTest, EndBySignalReturnsToTheCrashHandler) {
  rc_end_run_by_signal(11);
  EXPECT_EQ(g_calls, 1);
  EXPECT_EQ(g_reason, RC_END_CRASH);
  EXPECT_EQ(g_signal, 11);
}

TEST_F(FindingSinkTest, EndBySignalWithoutHandlerDoesNothing) {
  rc_finding_sink_set_end_handler(nullptr);
  rc_end_run_by_signal(6);
  EXPECT_EQ(g_calls, 0);
}

TEST_F(FindingSinkTest, ReasonsHaveNames) {
  EXPECT_STREQ(rc_end_reason_name(RC_END_DEADLOCK), "deadlock");
  EXPECT_STREQ(rc_end_reason_name(RC_END_HANG), "hang");
  EXPECT_STREQ(rc_end_reason_name(RC_END_LIVELOCK), "livelock");
  EXPECT_STREQ(rc_end_reason_name(RC_END_CRASH), "crash");
}

}  // namespace
}  // namespace racecheck
