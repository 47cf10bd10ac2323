// random_strategy_test.cpp — the decaying random walk (sched/strategy_random.c)
// and its geometric draw (core/rng.c): past K points it attempts a preemption
// about as often as a coin with probability K/step per point would, and its
// promise (keeps_until) is exact: skipping the picks it covers, as the
// scheduler does, leaves every other choice and the random stream unchanged.
#include <cmath>
#include <vector>

#include "test_support.h"

extern "C" {
#include "sched/strategy.h"
}

namespace racecheck {
namespace {

TEST(RngGeometricTest, CertainSuccessHasNoFailures) {
  rc_rng rng;
  rc_rng_seed(&rng, 1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(rc_rng_geometric(&rng, 5, 5), 0u);
}

TEST(RngGeometricTest, MeanIsOneMinusPOverP) {
  for (uint64_t den : {2ull, 10ull, 3000ull}) {
    rc_rng rng;
    rc_rng_seed(&rng, den);
    const int draws = 40000;
    double sum = 0;
    int zeros = 0;
    for (int i = 0; i < draws; ++i) {
      uint64_t g = rc_rng_geometric(&rng, 1, den);
      sum += static_cast<double>(g);
      zeros += g == 0;
    }
    double p = 1.0 / static_cast<double>(den), mean = (1 - p) / p;
    // standard deviation of the mean: sqrt(1 - p) / p / sqrt(draws)
    EXPECT_NEAR(sum / draws, mean, 5 * std::sqrt(1 - p) / p / std::sqrt(draws) + 1e-9)
        << "p = 1/" << den;
    EXPECT_NEAR(static_cast<double>(zeros) / draws, p, 5 * std::sqrt(p * (1 - p) / draws) + 1e-9);
  }
}

TEST(RngGeometricTest, SameSeedSameDraws) {
  rc_rng a, b;
  rc_rng_seed(&a, 42);
  rc_rng_seed(&b, 42);
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(rc_rng_geometric(&a, 1000, 1000 + i), rc_rng_geometric(&b, 1000, 1000 + i));
}

// Two threads, both enabled, T0 running a loop of RMWs; every `release_every`
// points T0 released a blocked thread (a uniform choice point).
class RandomWalk {
 public:
  RandomWalk(uint64_t seed, uint64_t decay_steps) {
    for (rc_tid tid = 0; tid < 2; ++tid) {
      threads_[tid] = {};
      threads_[tid].tid = tid;
      threads_[tid].status = RC_THREAD_ENABLED;
      threads_[tid].pending.kind = RC_OP_ATOMIC_RMW;
      table_[tid] = &threads_[tid];
    }
    rc_options options = {};
    options.random_decay_steps = decay_steps;
    strategy_ = rc_strategy_random();
    strategy_->begin(strategy_, seed, &options);
  }
  rc_sched_point Point(uint64_t step, rc_tid current, bool released) {
    return rc_sched_point{current, enabled_, 2, step, table_, 2, released};
  }
  rc_tid Pick(uint64_t step, rc_tid current, bool released = false) {
    rc_sched_point point = Point(step, current, released);
    return strategy_->pick(strategy_, &point);
  }
  uint64_t KeepsUntil() { return strategy_->keeps_until(strategy_); }
  uint64_t Random() { return strategy_->random(strategy_, UINT64_MAX); }
  rc_thread threads_[2];

 private:
  const rc_thread *table_[2];
  const rc_tid enabled_[2] = {0, 1};
  rc_strategy *strategy_;
};

TEST(RandomStrategyTest, NoPromiseDuringTheUniformStretch) {
  RandomWalk walk(3, 100);
  for (uint64_t step = 1; step <= 100; ++step) {
    walk.Pick(step, 0);
    EXPECT_EQ(walk.KeepsUntil(), 0u) << "step " << step;
  }
  walk.Pick(101, 0);  // the first point past K attempts and draws a distance
  EXPECT_GT(walk.KeepsUntil(), 101u);
  RandomWalk uniform(3, 0);  // K = 0: the uniform walk never promises
  for (uint64_t step = 1; step <= 1000; ++step) {
    uniform.Pick(step, 0);
    ASSERT_EQ(uniform.KeepsUntil(), 0u);
  }
}

// The promise is exact: a run that skips the covered picks makes the same
// choices elsewhere and leaves the random stream where the full run does.
// (The strategy is one object: the two runs go one after the other.)
struct WalkResult {
  std::vector<rc_tid> choices;
  uint64_t skipped = 0, next_random = 0;
};

WalkResult Walk(uint64_t seed, uint64_t K, uint64_t steps, bool skip) {
  RandomWalk walk(seed, K);
  WalkResult r;
  rc_tid current = 0;
  uint64_t until = 0;
  for (uint64_t step = 1; step <= steps; ++step) {
    bool released = step % 997 == 0;
    if (skip && step < until && !released) {
      ++r.skipped;  // what the scheduler does: keep the thread, no pick
    } else {
      current = walk.Pick(step, current, released);
      until = walk.KeepsUntil();
    }
    r.choices.push_back(current);
  }
  r.next_random = walk.Random();
  return r;
}

TEST(RandomStrategyTest, SkippingPromisedPicksChangesNothing) {
  const uint64_t K = 50, steps = 200000;
  for (uint64_t seed = 0; seed < 4; ++seed) {
    WalkResult full = Walk(seed, K, steps, false), skipping = Walk(seed, K, steps, true);
    EXPECT_EQ(full.choices, skipping.choices) << "seed " << seed;
    EXPECT_EQ(full.next_random, skipping.next_random) << "seed " << seed;
    EXPECT_GT(skipping.skipped, steps * 9 / 10);
  }
}

// Past K, attempts thin out as the per-point coin K/s placed them: about
// K ln(S/K) attempts in points K+1..S, each a uniform choice among 2.
TEST(RandomStrategyTest, AttemptsFollowTheDecay) {
  const uint64_t K = 100, S = 1000000;
  double total = 0;
  const int seeds = 20;
  for (int seed = 0; seed < seeds; ++seed) {
    RandomWalk walk(static_cast<uint64_t>(seed), K);
    uint64_t attempts = 0, until = 0;
    for (uint64_t step = K + 1; step <= S; ++step) {
      if (step < until) continue;
      walk.Pick(step, 0);
      ++attempts;
      until = walk.KeepsUntil();
    }
    total += static_cast<double>(attempts);
  }
  double expected = static_cast<double>(K) * std::log(static_cast<double>(S) / K);  // 921
  EXPECT_NEAR(total / seeds, expected, 0.1 * expected);
}

// Points that decide lock-induced happens-before stay uniform choices,
// whatever the promise: a release, a yield, a thread that cannot go on.
TEST(RandomStrategyTest, ReleasesAndYieldsStayUniform) {
  RandomWalk walk(7, 10);
  walk.Pick(11, 0);
  int switched_release = 0, switched_yield = 0;
  for (uint64_t step = 12; step < 2012; ++step) {
    switched_release += walk.Pick(step, 0, true) != 0;
    walk.threads_[0].pending.kind = RC_OP_YIELD;
    switched_yield += walk.Pick(step, 0) != 0;
    walk.threads_[0].pending.kind = RC_OP_ATOMIC_RMW;
  }
  EXPECT_NEAR(switched_release, 1000, 150);
  EXPECT_NEAR(switched_yield, 1000, 150);
}

}  // namespace
}  // namespace racecheck
