// vector_clock_test.cpp — vector clocks (vector_clock.c).
#include "test_support.h"

namespace racecheck {
namespace {

struct Vc {
  rc_vc vc;
  Vc() { rc_vc_init(&vc); }
  ~Vc() { rc_vc_destroy(&vc); }
};

TEST(VectorClock, MissingEntriesReadAsZero) {
  Vc a;
  EXPECT_EQ(rc_vc_get(&a.vc, 0), 0u);
  EXPECT_EQ(rc_vc_get(&a.vc, 1000), 0u);
  rc_vc_set(&a.vc, 5, 0);  // setting 0 past the end needs no storage
  EXPECT_EQ(a.vc.n, 0u);
}

TEST(VectorClock, SetGrowsAndKeepsOtherEntries) {
  Vc a;
  rc_vc_set(&a.vc, 0, 3);
  rc_vc_set(&a.vc, 100, 7);
  EXPECT_EQ(a.vc.n, 101u);
  EXPECT_EQ(rc_vc_get(&a.vc, 0), 3u);
  EXPECT_EQ(rc_vc_get(&a.vc, 50), 0u);
  EXPECT_EQ(rc_vc_get(&a.vc, 100), 7u);
}

TEST(VectorClock, JoinIsPointwiseMaximumAndGrows) {
  Vc a, b;
  rc_vc_set(&a.vc, 0, 5);
  rc_vc_set(&a.vc, 1, 1);
  rc_vc_set(&b.vc, 1, 4);
  rc_vc_set(&b.vc, 3, 2);
  rc_vc_join(&a.vc, &b.vc);
  EXPECT_EQ(rc_vc_get(&a.vc, 0), 5u);
  EXPECT_EQ(rc_vc_get(&a.vc, 1), 4u);
  EXPECT_EQ(rc_vc_get(&a.vc, 2), 0u);
  EXPECT_EQ(rc_vc_get(&a.vc, 3), 2u);
  EXPECT_EQ(a.vc.n, 4u);
}

TEST(VectorClock, LeqIsHappensBeforeOrEqual) {
  Vc a, b;
  EXPECT_TRUE(rc_vc_leq(&a.vc, &b.vc));  // empty <= empty
  rc_vc_set(&a.vc, 0, 1);
  EXPECT_FALSE(rc_vc_leq(&a.vc, &b.vc));
  EXPECT_TRUE(rc_vc_leq(&b.vc, &a.vc));
  rc_vc_set(&b.vc, 0, 1);
  rc_vc_set(&b.vc, 2, 9);
  EXPECT_TRUE(rc_vc_leq(&a.vc, &b.vc));  // a shorter than b
  rc_vc_set(&a.vc, 1, 1);
  EXPECT_FALSE(rc_vc_leq(&a.vc, &b.vc));  // concurrent
  EXPECT_FALSE(rc_vc_leq(&b.vc, &a.vc));
}

TEST(VectorClock, CopyAndClear) {
  Vc a, b;
  rc_vc_set(&a.vc, 2, 8);
  rc_vc_copy(&b.vc, &a.vc);
  EXPECT_EQ(rc_vc_get(&b.vc, 2), 8u);
  rc_vc_clear(&b.vc);
  EXPECT_EQ(rc_vc_get(&b.vc, 2), 0u);
  // Entries exposed again after a clear read as zero, not as stale values.
  rc_vc_set(&b.vc, 3, 1);
  EXPECT_EQ(rc_vc_get(&b.vc, 2), 0u);
  Vc c;
  rc_vc_set(&c.vc, 1, 1);
  rc_vc_clear(&a.vc);
  rc_vc_join(&a.vc, &c.vc);
  EXPECT_EQ(rc_vc_get(&a.vc, 1), 1u);
  EXPECT_EQ(a.vc.n, 2u);
  rc_vc_set(&a.vc, 2, 1);
  EXPECT_EQ(rc_vc_get(&a.vc, 2), 1u);
}

TEST(VectorClock, EpochIsOwnEntry) {
  rc_thread *t = NewThread(3, 0);
  EXPECT_EQ(rc_vc_get(&t->vc, t->tid), 1u);
  rc_vc_set(&t->vc, t->tid, rc_vc_get(&t->vc, t->tid) + 1);
  EXPECT_EQ(rc_vc_get(&t->vc, 3), 2u);
  EXPECT_EQ(rc_vc_get(&t->vc, 0), 0u);
}

}  // namespace
}  // namespace racecheck
