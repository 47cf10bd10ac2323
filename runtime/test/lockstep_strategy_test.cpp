// lockstep_strategy_test.cpp — the lock-step strategy (sched/strategy_lockstep.c):
// within its window the threads alternate at every point; past the window it
// runs the seed's random walk, and an attempt (trylock, compare-exchange) opens
// a new window.
#include <vector>

#include "test_support.h"

extern "C" {
#include "sched/fairness.h"
#include "sched/strategy.h"
}

namespace racecheck {
namespace {

class LockStep : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    rc_fair_reset();
    for (rc_tid tid = 0; tid < 2; ++tid) {
      threads_[tid] = {};
      threads_[tid].tid = tid;
      threads_[tid].status = RC_THREAD_ENABLED;
      table_[tid] = &threads_[tid];
    }
    rc_options options = {};
    options.random_decay_steps = 1000;
    strategy_ = rc_strategy_lockstep();
    strategy_->begin(strategy_, 3, &options);
  }
  // Thread `current` reached point `step`, about to do `kind` on `object`;
  // the other thread waits before `other_kind` on `other_object`.
  rc_tid Pick(uint64_t step, rc_tid current, rc_op_kind kind, const void *object,
              const void *other_object = nullptr, rc_op_kind other_kind = RC_OP_ATOMIC_RMW) {
    threads_[current].pending.kind = kind;
    threads_[current].pending.object = object;
    threads_[1 - current].pending.kind = other_kind;
    threads_[1 - current].pending.object = other_object;
    rc_sched_point point{current, enabled_, 2, step, table_, 2, false};
    return strategy_->pick(strategy_, &point);
  }
  uint64_t KeepsUntil() { return strategy_->keeps_until(strategy_); }

  rc_thread threads_[2];
  const rc_thread *table_[2];
  const rc_tid enabled_[2] = {0, 1};
  rc_strategy *strategy_ = nullptr;
  long objects_[64] = {};
};

TEST_F(LockStep, InTheWindowThreadsAlternateAtEveryPoint) {
  for (uint64_t step = 1; step <= 100; ++step) {
    rc_tid current = step % 2;
    EXPECT_EQ(Pick(step, current, RC_OP_ATOMIC_RMW, &objects_[step % 7], &objects_[3]), 1 - current)
        << "step " << step;
    EXPECT_EQ(KeepsUntil(), 0u);
  }
}

TEST_F(LockStep, PastTheWindowTheRandomWalkKeepsThreadsUntilAnAttempt) {
  const uint64_t window = 10000;
  rc_tid current = 0;
  uint64_t step = 1, switches = 0, promised = 0;
  for (; step < window; ++step) {
    rc_tid next = Pick(step, current, RC_OP_ATOMIC_RMW, &objects_[0], &objects_[0]);
    switches += next != current;
    current = next;
  }
  EXPECT_EQ(switches, window - 1);
  // Past the window shared objects no longer force a switch at every point
  // (the walk attempts about K ln(3) times in the next 2 * window points),
  // and the walk promises to keep the thread between its attempts.
  switches = 0;
  for (; step < 3 * window; ++step) {
    rc_tid next = Pick(step, current, RC_OP_ATOMIC_RMW, &objects_[0], &objects_[0]);
    switches += next != current;
    current = next;
    promised += KeepsUntil() > step + 1;
  }
  EXPECT_LT(switches, 1500u);
  EXPECT_GT(promised, window);
  // A trylock opens a window: in step again, and no promise.
  EXPECT_EQ(Pick(step, current, RC_OP_MUTEX_TRYLOCK, &objects_[0], &objects_[0]), 1 - current);
  EXPECT_EQ(KeepsUntil(), 0u);
  EXPECT_EQ(Pick(step + 1, 1 - current, RC_OP_ATOMIC_RMW, &objects_[0], &objects_[0]), current);
  // The scheduler asks at every attempt, promise or not, and only there.
  EXPECT_NE(strategy_->asks_at & (1ull << RC_OP_ATOMIC_CMPXCHG), 0u);
  EXPECT_NE(strategy_->asks_at & (1ull << RC_OP_MUTEX_TRYLOCK), 0u);
  EXPECT_EQ(strategy_->asks_at & (1ull << RC_OP_ATOMIC_RMW), 0u);
  EXPECT_EQ(strategy_->asks_at & (1ull << RC_OP_MUTEX_LOCK), 0u);
}

}  // namespace
}  // namespace racecheck
