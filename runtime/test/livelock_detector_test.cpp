// livelock_detector_test.cpp — incremental cycle detection on step hashes
// (livelock_detector.c): minimal periods, the repetition threshold, resets
// on progress, aperiodic streams and cycles longer than the window.
#include <cstdint>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

extern "C" {
#include "detect/livelock.h"
}

namespace racecheck {
namespace {

class CycleDetectorTest : public ::testing::Test {
 protected:
  void SetUp() override { rc_cycle_init(detector_.get()); }
  // Feeds `hash`; returns the repetitions reported (0: none).
  uint64_t Feed(uint64_t hash, uint64_t repeats = 50) {
    return rc_cycle_feed(detector_.get(), hash, repeats);
  }
  // Feeds `pattern` again and again; returns the index (0-based) of the
  // step at which a cycle was reported, or -1 after `limit` steps.
  int64_t FeedUntilReported(const std::vector<uint64_t> &pattern, uint64_t repeats, int64_t limit) {
    for (int64_t i = 0; i < limit; ++i)
      if (Feed(pattern[static_cast<size_t>(i) % pattern.size()], repeats)) return i;
    return -1;
  }
  std::unique_ptr<rc_cycle_detector> detector_ = std::make_unique<rc_cycle_detector>();
};

TEST_F(CycleDetectorTest, FindsTheMinimalPeriodAfterTheRequiredRepetitions) {
  // The 6-step cycle of polite back-off: two threads, lock/trylock/unlock.
  std::vector<uint64_t> cycle = {11, 22, 33, 44, 55, 66};
  int64_t at = FeedUntilReported(cycle, 50, 100000);
  ASSERT_GE(at, 0);
  EXPECT_EQ(rc_cycle_period(detector_.get()), 6u);
  EXPECT_EQ(at + 1, 50 * 6);  // reported exactly when 50 periods are complete
  EXPECT_EQ(rc_cycle_stretch_start(detector_.get()), 0u);
}

TEST_F(CycleDetectorTest, RepeatedHashesInsideTheCycleDoNotShortenThePeriod) {
  // "A B A C": the last A is 2 steps back, but the period is 4.
  std::vector<uint64_t> cycle = {1, 2, 1, 3};
  ASSERT_GE(FeedUntilReported(cycle, 10, 100000), 0);
  EXPECT_EQ(rc_cycle_period(detector_.get()), 4u);
  rc_cycle_init(detector_.get());
  std::vector<uint64_t> tricky = {7, 8, 7, 7, 8};  // period 5
  ASSERT_GE(FeedUntilReported(tricky, 10, 100000), 0);
  EXPECT_EQ(rc_cycle_period(detector_.get()), 5u);
}

TEST_F(CycleDetectorTest, AnAperiodicStreamIsNeverReported) {
  uint64_t x = 88172645463325252ull;  // xorshift: no short cycles
  for (int i = 0; i < 200000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    ASSERT_EQ(Feed(x % 64, 3), 0u) << "step " << i;
  }
}

TEST_F(CycleDetectorTest, ACounterThatKeepsChangingIsNotACycle) {
  for (uint64_t i = 1; i < 100000; ++i) ASSERT_EQ(Feed(i), 0u);
}

TEST_F(CycleDetectorTest, ProgressRestartsTheCount) {
  std::vector<uint64_t> cycle = {5, 6, 7};
  for (int i = 0; i < 3 * 40; ++i) ASSERT_EQ(Feed(cycle[i % 3]), 0u);
  rc_cycle_reset(detector_.get());
  // After the reset, 50 whole periods are needed again, counted from here.
  int64_t at = FeedUntilReported(cycle, 50, 100000);
  EXPECT_EQ(at + 1, 50 * 3);
}

TEST_F(CycleDetectorTest, ABreakInTheCycleRestartsTheCount) {
  std::vector<uint64_t> cycle = {5, 6, 7, 8};
  for (int i = 0; i < 4 * 30; ++i) ASSERT_EQ(Feed(cycle[i % 4]), 0u);
  ASSERT_EQ(Feed(999), 0u);  // e.g. an acquire that is not part of the cycle
  int64_t at = FeedUntilReported(cycle, 50, 100000);
  ASSERT_GE(at, 0);
  EXPECT_GE(at + 1, 4 * 49);  // a fresh stretch of (almost) 50 periods
  EXPECT_EQ(rc_cycle_period(detector_.get()), 4u);
}

TEST_F(CycleDetectorTest, CyclesLongerThanTheWindowAreFoundToo) {
  std::vector<uint64_t> cycle;
  for (uint64_t i = 0; i < 300; ++i) cycle.push_back(1000 + i);
  ASSERT_GE(FeedUntilReported(cycle, 5, 100000), 0);
  EXPECT_EQ(rc_cycle_period(detector_.get()), 300u);
}

TEST_F(CycleDetectorTest, ReportsTheRepetitionsSpanned) {
  std::vector<uint64_t> cycle = {3, 4};
  uint64_t reported = 0;
  for (int i = 0; i < 1000 && !reported; ++i) reported = Feed(cycle[i % 2], 100);
  EXPECT_EQ(reported, 100u);
}

}  // namespace
}  // namespace racecheck
