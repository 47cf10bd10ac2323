// fairness_test.cpp — the fair scheduling layer (fairness.c): CHESS's
// priority relation (Musuvathi & Qadeer, PLDI'08) driven step by step the
// way scheduler.c drives it: at each point the transition of the thread that
// reached it ends (rc_fair_filter), then the pick is reported
// (rc_fair_scheduled).
#include <algorithm>
#include <vector>

#include "test_support.h"

extern "C" {
#include "sched/fairness.h"
}

namespace racecheck {
namespace {

class FairnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rc_fair_reset();
    g_rt.options.fair = true;
    g_rt.steps = 0;
  }
  void TearDown() override {
    rc_fair_reset();
    g_rt.options.fair = false;
  }

  // One scheduling point: `self` reached it declaring `kind` with
  // `enabled` runnable; returns the threads the strategy may choose from.
  std::vector<rc_tid> Point(rc_tid self, rc_op_kind kind, std::vector<rc_tid> enabled,
                            uint32_t n_threads = 3) {
    ++g_rt.steps;
    uint32_t n = rc_fair_filter(self, kind, enabled.data(), static_cast<uint32_t>(enabled.size()),
                                n_threads, g_rt.steps);
    enabled.resize(n);
    return enabled;
  }
  void Pick(rc_tid chosen) { rc_fair_scheduled(chosen, g_rt.steps); }
};

TEST_F(FairnessTest, WithoutYieldsEveryEnabledThreadStaysChoosable) {
  Pick(0);
  EXPECT_EQ(Point(0, RC_OP_MUTEX_LOCK, {0, 1, 2}), (std::vector<rc_tid>{0, 1, 2}));
  Pick(0);
  EXPECT_EQ(Point(0, RC_OP_ATOMIC_LOAD, {0, 1, 2}), (std::vector<rc_tid>{0, 1, 2}));
}

TEST_F(FairnessTest, AYieldingThreadGivesWayToTheThreadsItKeptWaiting) {
  // T0 runs alone for a while with T1 enabled, then yields: T1 was
  // continuously enabled and never scheduled since T0's last yield.
  Pick(0);
  Point(0, RC_OP_ATOMIC_LOAD, {0, 1});
  Pick(0);
  EXPECT_EQ(Point(0, RC_OP_YIELD, {0, 1}), (std::vector<rc_tid>{1}));
  EXPECT_TRUE(rc_fair_has_priority_edge(0, 1));
  EXPECT_FALSE(rc_fair_has_priority_edge(1, 0));
  // Once T1 has been scheduled, T0 is no longer held back.
  Pick(1);
  EXPECT_FALSE(rc_fair_has_priority_edge(0, 1));
  EXPECT_EQ(Point(1, RC_OP_ATOMIC_STORE, {0, 1}), (std::vector<rc_tid>{0, 1}));
}

TEST_F(FairnessTest, NoEdgeTowardsThreadsScheduledSinceTheLastYield) {
  Pick(0);
  Point(0, RC_OP_ATOMIC_LOAD, {0, 1});
  Pick(1);
  Point(1, RC_OP_ATOMIC_LOAD, {0, 1});
  Pick(0);
  // T1 ran after T0's previous yield (the start): T0 owes it nothing.
  EXPECT_EQ(Point(0, RC_OP_YIELD, {0, 1}), (std::vector<rc_tid>{0, 1}));
  EXPECT_FALSE(rc_fair_has_priority_edge(0, 1));
}

TEST_F(FairnessTest, NoEdgeTowardsAThreadThatWasDisabledMeanwhile) {
  Pick(0);
  Point(0, RC_OP_MUTEX_LOCK, {0});  // T1 blocked here: not continuously enabled
  Pick(0);
  Point(0, RC_OP_MUTEX_UNLOCK, {0, 1});  // T0's transition released it, not
  Pick(0);                               // a disable by T0
  EXPECT_EQ(Point(0, RC_OP_YIELD, {0, 1}), (std::vector<rc_tid>{0, 1}));
  EXPECT_FALSE(rc_fair_has_priority_edge(0, 1));
}

TEST_F(FairnessTest, ThreadsTheYielderDisabledGetPriorityWhenEnabledAgain) {
  // T0's transition disables T1 (D[T0] = {T1}); when T0 yields, T1 ranks
  // above it, so once T1 is enabled again T0 waits for it.
  Pick(0);
  Point(0, RC_OP_MUTEX_LOCK, {0, 1});
  Pick(0);
  Point(0, RC_OP_ATOMIC_LOAD, {0});  // T1 now blocked (on T0's lock)
  Pick(0);
  Point(0, RC_OP_YIELD, {0});
  EXPECT_TRUE(rc_fair_has_priority_edge(0, 1));
  Pick(0);
  EXPECT_EQ(Point(0, RC_OP_ATOMIC_LOAD, {0, 1}), (std::vector<rc_tid>{1}));
}

// A point that keeps the running thread may be counted by the three writes
// rc_fair_kept_slots_of hands out (the scheduler's promised kept point) only
// while no edge exists and the thread's transition does not yield; a yield
// flagged meanwhile moves the scheduler's generation, ending the promise.
TEST_F(FairnessTest, KeptSlotsOnlyWithoutEdgesOrAYield) {
  Pick(0);
  Point(0, RC_OP_ATOMIC_RMW, {0, 1});
  Pick(0);
  rc_fair_kept_slots slots;
  ASSERT_TRUE(rc_fair_kept_slots_of(0, &slots));
  // The same state as rc_fair_kept at the next step, then a filter that
  // sees nothing new: no edge, both threads offered.
  ++g_rt.steps;
  *slots.last_step = g_rt.steps;
  *slots.last_failed = 0;
  *slots.scheduled_step = g_rt.steps + 1;
  EXPECT_FALSE(rc_fair_last_transition_failed(0));
  EXPECT_EQ(Point(0, RC_OP_ATOMIC_RMW, {0, 1}), (std::vector<rc_tid>{0, 1}));
  Pick(0);
  uint64_t generation = g_rt.sched_generation;
  rc_fair_yield(0);
  EXPECT_NE(g_rt.sched_generation, generation);
  EXPECT_FALSE(rc_fair_kept_slots_of(0, &slots));
  EXPECT_EQ(Point(0, RC_OP_ATOMIC_RMW, {0, 1}), (std::vector<rc_tid>{1}));  // yielded
  EXPECT_FALSE(rc_fair_kept_slots_of(0, &slots));                           // an edge now
  g_rt.options.fair = false;
  EXPECT_TRUE(rc_fair_kept_slots_of(0, &slots));  // the layer off: nothing to keep
  g_rt.options.fair = true;
}

TEST_F(FairnessTest, FlaggedFailuresYieldAtTheEndOfTheTransition) {
  Pick(0);
  Point(0, RC_OP_MUTEX_TRYLOCK, {0, 1});
  Pick(0);
  rc_fair_yield(0);  // the trylock failed
  EXPECT_TRUE(rc_fair_transition_failed(0));
  EXPECT_EQ(Point(0, RC_OP_MUTEX_UNLOCK, {0, 1}), (std::vector<rc_tid>{1}));
  EXPECT_FALSE(rc_fair_transition_failed(0));
}

TEST_F(FairnessTest, PriorityStaysAcyclicSoSomeThreadIsAlwaysChoosable) {
  // Whoever runs yields at every point (the thread reaching a point is the
  // one picked last, as in the scheduler): the filter must always leave a
  // thread, and the yielders take turns.
  // A strategy that always takes the lowest tid would starve T2 without the
  // filter; with it, no thread waits more than a few picks.
  rc_tid running = 0;
  Pick(running);
  std::vector<int> last_pick(3, 0);
  int longest_wait = 0;
  for (int step = 1; step <= 60; ++step) {
    std::vector<rc_tid> choosable = Point(running, RC_OP_YIELD, {0, 1, 2});
    ASSERT_FALSE(choosable.empty());
    running = choosable.front();
    Pick(running);
    last_pick[running] = step;
    for (int t = 0; t < 3; ++t) longest_wait = std::max(longest_wait, step - last_pick[t]);
  }
  EXPECT_LE(longest_wait, 6);  // 2 x threads; without the filter T2 would wait all 60
}

TEST_F(FairnessTest, SpinOnAnUnchangedAtomicYieldsAndAChangedValueEndsTheSpin) {
  const rc_site *site = NewSite("spin.c", "wait", 7);
  static int flag;
  EXPECT_EQ(rc_fair_atomic_read(1, site, &flag, 0, RC_ATOMIC_READ_LOAD), RC_SPIN_NONE);
  EXPECT_EQ(rc_fair_atomic_read(1, site, &flag, 0, RC_ATOMIC_READ_LOAD), RC_SPIN_YIELD);
  EXPECT_TRUE(rc_fair_transition_failed(1));
  EXPECT_EQ(rc_fair_atomic_read(1, site, &flag, 0, RC_ATOMIC_READ_LOAD), RC_SPIN_YIELD);
  EXPECT_EQ(rc_fair_atomic_read(1, site, &flag, 1, RC_ATOMIC_READ_LOAD), RC_SPIN_END);
  EXPECT_EQ(rc_fair_atomic_read(1, site, &flag, 2, RC_ATOMIC_READ_LOAD), RC_SPIN_NONE);
}

TEST_F(FairnessTest, CompareExchangeFailuresYieldAndSuccessAfterThemEndsTheSpin) {
  const rc_site *site = NewSite("spin.c", "acquire", 9);
  static int lock_word;
  EXPECT_EQ(rc_fair_atomic_read(2, site, &lock_word, 0, RC_ATOMIC_READ_CAS_OK), RC_SPIN_NONE);
  // A lock taken again and again by its only user never yields.
  EXPECT_EQ(rc_fair_atomic_read(2, site, &lock_word, 0, RC_ATOMIC_READ_CAS_OK), RC_SPIN_NONE);
  EXPECT_EQ(rc_fair_atomic_read(2, site, &lock_word, 1, RC_ATOMIC_READ_CAS_FAILED), RC_SPIN_YIELD);
  EXPECT_EQ(rc_fair_atomic_read(2, site, &lock_word, 0, RC_ATOMIC_READ_CAS_OK), RC_SPIN_END);
}

TEST_F(FairnessTest, OffMeansNoFilteringAndNoYields) {
  g_rt.options.fair = false;
  Pick(0);
  Point(0, RC_OP_ATOMIC_LOAD, {0, 1});
  Pick(0);
  EXPECT_EQ(Point(0, RC_OP_YIELD, {0, 1}), (std::vector<rc_tid>{0, 1}));
  rc_fair_yield(0);
  EXPECT_FALSE(rc_fair_transition_failed(0));
}

TEST_F(FairnessTest, ManyThreadsUseMoreThanOneWordOfBits) {
  std::vector<rc_tid> all;
  for (rc_tid t = 0; t < 130; ++t) all.push_back(t);
  Pick(129);
  Point(129, RC_OP_ATOMIC_LOAD, all, 130);
  Pick(129);
  std::vector<rc_tid> choosable = Point(129, RC_OP_YIELD, all, 130);
  EXPECT_EQ(choosable.size(), 129u);  // everyone but the yielder
  EXPECT_TRUE(rc_fair_has_priority_edge(129, 64));
  EXPECT_TRUE(rc_fair_has_priority_edge(129, 0));
}

// A thread counts as continuously enabled from the first point after the
// latest one that saw it disabled (CHESS's E), to the step: the fair layer
// fills that step in only when the thread is enabled again.
TEST_F(FairnessTest, AThreadReenabledAtAYieldIsContinuouslyEnabledFromThere) {
  Pick(0);
  EXPECT_EQ(Point(0, RC_OP_YIELD, {0, 1, 2}), (std::vector<rc_tid>{1, 2}));
  Pick(1);
  Point(1, RC_OP_ATOMIC_LOAD, {0, 1, 2});
  Pick(2);
  Point(2, RC_OP_MUTEX_LOCK, {0, 2});  // T1 blocked while T2 ran (step 3)
  Pick(0);
  // T1 was disabled since T0's previous yield: T0 owes it nothing.
  EXPECT_EQ(Point(0, RC_OP_YIELD, {0, 1, 2}), (std::vector<rc_tid>{0, 1, 2}));
  EXPECT_FALSE(rc_fair_has_priority_edge(0, 1));
  Pick(0);
  Point(0, RC_OP_ATOMIC_LOAD, {0, 1, 2});
  Pick(0);
  // Enabled at every point since that yield (step 4): now it is owed.
  EXPECT_EQ(Point(0, RC_OP_YIELD, {0, 1, 2}), (std::vector<rc_tid>{1, 2}));
  EXPECT_TRUE(rc_fair_has_priority_edge(0, 1));
  EXPECT_TRUE(rc_fair_has_priority_edge(0, 2));
}

}  // namespace
}  // namespace racecheck
