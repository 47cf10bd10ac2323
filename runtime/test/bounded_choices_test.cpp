// bounded_choices_test.cpp — the seed -> choice-point set enumeration of the
// bounded strategies (runtime/src/sched/bounded_choices.c): seed 0 is the
// empty set, sizes cycle 1..N, and the first seeds cover every small set
// exactly once (the guarantee docs/schedule-format.md states).
#include <gtest/gtest.h>

#include <set>
#include <vector>

extern "C" {
#include "sched/bounded_choices.h"
}

namespace racecheck {
namespace {

std::vector<uint64_t> choices(uint64_t seed, uint32_t bound, bool multiset) {
  rc_bounded_choices c;
  rc_bounded_choices_of(seed, bound, multiset, &c);
  return std::vector<uint64_t>(c.at, c.at + c.n);
}

TEST(BoundedChoicesTest, SeedZeroIsTheEmptySet) {
  EXPECT_TRUE(choices(0, 3, false).empty());
  EXPECT_TRUE(choices(0, 3, true).empty());
}

TEST(BoundedChoicesTest, BoundOneEnumeratesEveryPointInOrder) {
  for (uint64_t seed = 1; seed <= 50; ++seed)
    EXPECT_EQ(choices(seed, 1, false), std::vector<uint64_t>{seed - 1});
}

TEST(BoundedChoicesTest, EverySetBelowKIsReachedOnceWithinTheBound) {
  // N = 2, K = 12: seeds below 1 + 2 * C(12, 2) = 133 hold every 1- and
  // 2-subset of [0, 12), each exactly once among the seeds that stay below K.
  const uint64_t K = 12;
  std::set<std::vector<uint64_t>> seen;
  for (uint64_t seed = 0; seed < 1 + 2 * 66; ++seed) {
    std::vector<uint64_t> set = choices(seed, 2, false);
    ASSERT_LE(set.size(), 2u);
    for (size_t i = 1; i < set.size(); ++i) ASSERT_LT(set[i - 1], set[i]);  // a set, ascending
    if (!set.empty() && set.back() >= K) continue;
    EXPECT_TRUE(seen.insert(set).second) << "seed " << seed << " repeats a set";
  }
  EXPECT_EQ(seen.size(), 1 + K + K * (K - 1) / 2);
}

TEST(BoundedChoicesTest, MultisetsAllowOnePointTwice) {
  // c = 2 multisets of [0, 5): C(6, 2) = 15, all within seeds below 1 + 2 * 15.
  std::set<std::vector<uint64_t>> pairs;
  for (uint64_t seed = 0; seed < 31; ++seed) {
    std::vector<uint64_t> set = choices(seed, 2, true);
    for (size_t i = 1; i < set.size(); ++i) ASSERT_LE(set[i - 1], set[i]);
    if (set.size() == 2 && set.back() < 5) pairs.insert(set);
  }
  EXPECT_EQ(pairs.size(), 15u);
  EXPECT_TRUE(pairs.count({3, 3}));
}

TEST(BoundedChoicesTest, CountsChoicesAtAnIndexInAscendingOrder) {
  rc_bounded_choices c = {{2, 2, 5}, 3};
  uint32_t cursor = 0;
  EXPECT_EQ(rc_bounded_choices_at(&c, &cursor, 0), 0u);
  EXPECT_EQ(rc_bounded_choices_at(&c, &cursor, 2), 2u);
  EXPECT_EQ(rc_bounded_choices_at(&c, &cursor, 3), 0u);
  EXPECT_EQ(rc_bounded_choices_at(&c, &cursor, 5), 1u);
  EXPECT_EQ(rc_bounded_choices_at(&c, &cursor, 6), 0u);
}

TEST(BoundedChoicesTest, ParsesTheStrategyName) {
  EXPECT_EQ(rc_bounded_parse("pb-2", "pb-"), 2u);
  EXPECT_EQ(rc_bounded_parse("db-16", "db-"), 16u);
  EXPECT_EQ(rc_bounded_parse("db-17", "db-"), 0u);
  EXPECT_EQ(rc_bounded_parse("db-0", "db-"), 0u);
  EXPECT_EQ(rc_bounded_parse("db-", "db-"), 0u);
  EXPECT_EQ(rc_bounded_parse("pb-2x", "pb-"), 0u);
  EXPECT_EQ(rc_bounded_parse("pct", "pb-"), 0u);
}

TEST(BoundedChoicesTest, LargeSeedsStayWellFormed) {
  std::vector<uint64_t> set = choices(UINT64_MAX, 3, false);
  ASSERT_EQ(set.size(), (UINT64_MAX - 1) % 3 + 1);
  for (size_t i = 1; i < set.size(); ++i) EXPECT_LT(set[i - 1], set[i]);
}

}  // namespace
}  // namespace racecheck
