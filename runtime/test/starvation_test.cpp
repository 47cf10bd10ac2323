// starvation_test.cpp — bypass counting (starvation.c): waits on lock
// identities and on atomic spin locks, the threshold, the per-thread table
// and the cases that must not be reported (bounded bypassing, a spin waiter
// that gave up, a counter updated with read-modify-writes, pct, fair=0).
#include <atomic>
#include <cstring>
#include <string>

#include "test_support.h"

extern "C" {
#include "detect/starvation.h"
#include "sched/fairness.h"
}

namespace racecheck {
namespace {

class StarvationTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    rc_starvation_reset();
    rc_fair_reset();
    saved_ = g_rt.options;
    g_rt.options.fair = true;
    g_rt.options.strategy = "random";
    g_rt.options.starvation_bypasses = 3;
    g_rt.steps = 0;
    rc_fake_locks[0] = rc_lock_info{0, RC_SYNC_MUTEX, "m", nullptr, 0, 0, 0, "mutex"};
    rc_fake_locks[1] = rc_lock_info{1, RC_SYNC_RWLOCK, "rw", nullptr, 0, 0, 0, "rwlock"};
    rc_fake_n_locks = 2;
    for (rc_tid tid = 0; tid < 3; ++tid) {
      threads_[tid] = NewThread(tid, tid == 0 ? UINT32_MAX : 0);
      threads_[tid]->status = RC_THREAD_ENABLED;
      AddToRuntime(threads_[tid]);
    }
  }
  void TearDown() override {
    rc_starvation_reset();
    rc_fair_reset();
    g_rt.options = saved_;
    g_rt.steps = 0;
    RuntimeTest::TearDown();
  }

  // One scheduling point passes.
  void Step(uint64_t n = 1) { g_rt.steps += n; }

  // What the interceptors do for a lock: a blocked wait, then the acquisition.
  void Wait(rc_tid tid, uint32_t lock) {
    Runs(tid);
    rc_starvation_lock_wait(threads_[tid], lock, RC_OP_MUTEX_LOCK, wait_site_);
    threads_[tid]->status = RC_THREAD_BLOCKED;
  }
  void Acquire(rc_tid tid, uint32_t lock) {
    Runs(tid);
    rc_starvation_lock_acquired(threads_[tid], lock, RC_OP_MUTEX_LOCK, acquire_site_);
  }
  // The scheduler picks `tid` at this step (it acts).
  void Runs(rc_tid tid) {
    threads_[tid]->status = RC_THREAD_ENABLED;
    rc_fair_scheduled(tid, g_rt.steps);
  }

  // An atomic operation as atomics.c reports it, then the operation itself.
  void Exchange(rc_tid tid, std::atomic<int> &word, int value) {
    Runs(tid);
    threads_[tid]->pending = rc_pending_op{RC_OP_ATOMIC_RMW, &word, spin_site_};
    rc_starvation_atomic(threads_[tid], &word, sizeof(int), __racecheck_atomic_rmw, true, 0,
                         spin_site_);
    word.exchange(value);
    Step();
  }
  void Store(rc_tid tid, std::atomic<int> &word, int value) {
    Runs(tid);
    threads_[tid]->pending = rc_pending_op{RC_OP_ATOMIC_STORE, &word, spin_site_};
    rc_starvation_atomic(threads_[tid], &word, sizeof(int), __racecheck_atomic_store, true, 0,
                         spin_site_);
    word.store(value);
    Step();
  }
  // An integer add as __racecheck_atomic_int_rmw reports it: it surely
  // changes the value unless its operand is zero.
  void Add(rc_tid tid, std::atomic<int> &word, int operand) {
    Runs(tid);
    threads_[tid]->pending = rc_pending_op{RC_OP_ATOMIC_RMW, &word, spin_site_};
    rc_starvation_rmw(threads_[tid], &word, sizeof(int), operand != 0, spin_site_);
    word.fetch_add(operand);
    Step();
  }
  void CompareExchange(rc_tid tid, std::atomic<int> &word, int expected, int desired) {
    Runs(tid);
    threads_[tid]->pending = rc_pending_op{RC_OP_ATOMIC_CMPXCHG, &word, spin_site_};
    bool success = word.load() == expected;
    rc_starvation_atomic(threads_[tid], &word, sizeof(int), __racecheck_atomic_cmpxchg, success,
                         static_cast<unsigned long long>(expected), spin_site_);
    word.compare_exchange_strong(expected, desired);
    Step();
  }
  // What `tid` does next while it backs off (the spin wait stays open).
  void BackOff(rc_tid tid) {
    threads_[tid]->pending = rc_pending_op{RC_OP_SLEEP, nullptr, nullptr};
  }

  static const rc_finding_count *Count(const rc_finding *f, const char *name) {
    for (uint32_t i = 0; i < f->n_counts; ++i)
      if (std::strcmp(f->counts[i].name, name) == 0) return &f->counts[i];
    return nullptr;
  }
  static const rc_thread_stat *Stat(const rc_finding *f, rc_tid tid) {
    for (uint32_t i = 0; i < f->n_thread_stats; ++i)
      if (f->thread_stats[i].tid == tid) return &f->thread_stats[i];
    return nullptr;
  }

  rc_thread *threads_[3] = {};
  rc_options saved_{};
  const rc_site *wait_site_ = NewSite("s.c", "waiter", 10);
  const rc_site *acquire_site_ = NewSite("s.c", "taker", 20);
  const rc_site *spin_site_ = NewSite("s.c", "spin", 30);
};

TEST_F(StarvationTest, AWaitBypassedThresholdTimesIsReportedWithItsTable) {
  Step(5);
  Acquire(1, 0);  // uncontended: not tracked yet
  Step();
  Wait(2, 0);  // T2 blocks at step 6
  for (int i = 0; i < 4; ++i) {
    Step();
    Acquire(1, 0);
  }
  Step(10);
  Acquire(2, 0);  // step 20: the wait lasted 14 points
  rc_starvation_finish();
  auto findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  const rc_finding *f = findings[0];
  EXPECT_EQ(f->kind, RC_FINDING_STARVATION);
  ASSERT_EQ(f->n_waiters, 2u);
  EXPECT_EQ(f->waiters[0].tid, 2u);
  EXPECT_EQ(f->waiters[0].site, wait_site_);
  EXPECT_EQ(f->waiters[0].op, RC_OP_MUTEX_LOCK);
  EXPECT_EQ(f->waiters[0].object, RC_RECORD_WAIT_LOCK);
  EXPECT_EQ(f->waiters[0].object_id, 0u);  // lock `m`
  EXPECT_EQ(f->waiters[1].tid, 1u);
  EXPECT_EQ(f->waiters[1].site, acquire_site_);
  EXPECT_EQ(Count(f, "bypasses")->value, 4u);
  EXPECT_EQ(Count(f, "waited_steps")->value, 14u);
  EXPECT_EQ(Count(f, "threshold")->value, 3u);
  // "T2 was bypassed 4 times while waiting for mutex `m` (14 scheduling
  // points, threshold 3)", as the analyzer words it
  ASSERT_TRUE(f->cause.set);
  EXPECT_EQ(f->cause.kind, RC_RECORD_CAUSE_STARVATION);
  EXPECT_EQ(f->cause.tid, 2u);
  ASSERT_EQ(f->cause.n_values, 3u);
  EXPECT_EQ(f->cause.values[0], 4u);
  EXPECT_EQ(f->cause.values[1], 14u);
  EXPECT_EQ(f->cause.values[2], 3u);
  ASSERT_EQ(f->n_thread_stats, 2u);
  EXPECT_EQ(Stat(f, 1)->acquisitions, 4u);  // counted from the first wait on
  EXPECT_EQ(Stat(f, 1)->bypasses, 4u);
  EXPECT_EQ(Stat(f, 1)->longest_wait_steps, 0u);
  EXPECT_EQ(Stat(f, 2)->acquisitions, 1u);
  EXPECT_EQ(Stat(f, 2)->bypasses, 0u);
  EXPECT_EQ(Stat(f, 2)->longest_wait_steps, 14u);
}

TEST_F(StarvationTest, BelowTheThresholdOrAlternatingIsNotReported) {
  // A FIFO hand-over: each wait is bypassed at most once, for many rounds.
  for (int round = 0; round < 50; ++round) {
    Wait(2, 0);
    Step();
    Acquire(1, 0);
    Step();
    Wait(1, 0);
    Acquire(2, 0);
    Step();
    Acquire(1, 0);
  }
  // Two bypasses of one wait on another lock.
  Wait(0, 1);
  Acquire(1, 1);
  Acquire(2, 1);
  Acquire(0, 1);
  rc_starvation_finish();
  EXPECT_TRUE(Findings().empty());
}

TEST_F(StarvationTest, OtherThreadsEachBypassingOnceAreAFairLocksBound) {
  // T1 and T2 take the lock once each while T0 waits: two bypasses, none a
  // thread's second, as a FIFO lock allows; at a threshold of 2 the second
  // thread's first bypass does not count.
  g_rt.options.starvation_bypasses = 2;
  Wait(0, 1);
  Acquire(1, 1);
  Acquire(2, 1);
  Acquire(0, 1);
  rc_starvation_finish();
  EXPECT_TRUE(Findings().empty());
}

TEST_F(StarvationTest, ARepeatBypasserBesideAOnceOnlyThreadIsCounted) {
  // T2 takes the lock once and T1 three times while T0 waits: T1's three
  // reach the threshold of 3, T2's single bypass is not counted.
  Wait(0, 1);
  Acquire(2, 1);
  for (int i = 0; i < 3; ++i) Acquire(1, 1);
  rc_starvation_finish();
  auto findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(Count(findings[0], "bypasses")->value, 4u);
}

TEST_F(StarvationTest, AnOpenWaitCountsUpToTheEndOfTheRun) {
  Wait(2, 1);
  for (int i = 0; i < 3; ++i) {
    Step(2);
    Acquire(1, 1);
  }
  rc_starvation_finish();
  auto findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(Count(findings[0], "bypasses")->value, 3u);
  EXPECT_EQ(Count(findings[0], "waited_steps")->value, 6u);
  EXPECT_EQ(findings[0]->waiters[0].object, RC_RECORD_WAIT_LOCK);
  EXPECT_EQ(findings[0]->waiters[0].object_id, 1u);  // rwlock `rw`
}

TEST_F(StarvationTest, ATimedOutWaitEndsIt) {
  Wait(2, 0);
  Acquire(1, 0);
  rc_starvation_lock_gave_up(threads_[2], 0);
  for (int i = 0; i < 5; ++i) Acquire(1, 0);
  rc_starvation_finish();
  EXPECT_TRUE(Findings().empty());
}

TEST_F(StarvationTest, OneFindingPerStarvingThreadWithItsMostBypassedWait) {
  Wait(2, 0);
  for (int i = 0; i < 5; ++i) Acquire(1, 0);
  Acquire(2, 0);  // T1 never asks again
  Wait(2, 0);
  for (int i = 0; i < 4; ++i) Acquire(0, 0);
  Acquire(2, 0);  // nor does T0: both waits ended only once their bypassers stopped
  rc_starvation_finish();
  rc_starvation_finish();  // idempotent
  auto findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(Count(findings[0], "bypasses")->value, 5u);
  EXPECT_EQ(Stat(findings[0], 1)->acquisitions, 5u);
  EXPECT_EQ(Stat(findings[0], 1)->bypasses, 5u);
  EXPECT_EQ(Stat(findings[0], 0)->bypasses, 0u);
}

TEST_F(StarvationTest, AWaitEndingWhileItsBypassersStillCompeteWasBounded) {
  // A crowd on one mutex: T2 is bypassed often but gets in while T1 still
  // takes the lock afterwards, and a wait of T0 ends while T1 waits for it.
  Wait(2, 0);
  for (int i = 0; i < 5; ++i) Acquire(1, 0);
  Acquire(2, 0);
  Acquire(1, 0);  // T1 competes on after T2 got in
  Wait(0, 0);
  for (int i = 0; i < 5; ++i) Acquire(2, 0);
  Wait(2, 0);  // T2 asks again while T0 waits
  Acquire(0, 0);
  Acquire(2, 0);
  rc_starvation_finish();
  EXPECT_TRUE(Findings().empty());
}

TEST_F(StarvationTest, ALaterLessBypassedWaitItsBypassersLeftIsStillReported) {
  Wait(2, 0);
  for (int i = 0; i < 6; ++i) Acquire(1, 0);
  Acquire(2, 0);
  Wait(2, 0);  // the first wait's bypasser T1 asked again: that one was bounded
  for (int i = 0; i < 4; ++i) Acquire(1, 0);
  Acquire(2, 0);
  rc_starvation_finish();
  auto findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(Count(findings[0], "bypasses")->value, 4u);
}

TEST_F(StarvationTest, TestAndSetSpinLockReTakenByAGreedyThread) {
  std::atomic<int> word{0};
  Exchange(1, word, 1);  // T1 takes the lock
  Exchange(2, word, 1);  // T2 finds it set: its wait begins
  BackOff(2);
  for (int i = 0; i < 4; ++i) {
    if (i % 2)
      Store(1, word, 0);  // release...
    else
      Exchange(1, word, 0);  // (or release with an exchange: 1 -> 0 is no acquisition)
    Exchange(1, word, 1);    // ...and straight back: a bypass of T2
    Exchange(2, word, 1);    // T2 tries again and finds it set
    BackOff(2);
  }
  Store(1, word, 0);
  Exchange(2, word, 1);  // T2 finally gets it
  Store(2, word, 0);
  rc_starvation_finish();
  auto findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  const rc_finding *f = findings[0];
  EXPECT_EQ(f->waiters[0].tid, 2u);
  EXPECT_EQ(f->waiters[0].op, RC_OP_ATOMIC_RMW);
  EXPECT_EQ(f->waiters[0].site, spin_site_);
  EXPECT_EQ(f->waiters[0].object, RC_RECORD_WAIT_SPIN);
  EXPECT_EQ(f->waiters[0].object_name, nullptr);  // an unnamed atomic
  EXPECT_EQ(Count(f, "bypasses")->value, 4u);
  EXPECT_EQ(Stat(f, 1)->acquisitions, 4u);
  EXPECT_EQ(Stat(f, 2)->acquisitions, 1u);
  EXPECT_EQ(Stat(f, 2)->longest_wait_steps, 14u);
}

// A waiter that a release made runnable, but that the strategy did not pick
// while the releaser took the lock again and again, was passed over by the
// schedule, not by the lock: natively it would run on another CPU at once.
// Only the bypasses while it was blocked or after it ran again count.
TEST_F(StarvationTest, AReleasedWaiterTheScheduleDoesNotPickIsNotBypassed) {
  Acquire(1, 0);
  Wait(2, 0);  // T2 blocks
  for (int i = 0; i < 10; ++i) {
    threads_[2]->status = RC_THREAD_ENABLED;  // T1's unlock releases T2...
    Step();
    Acquire(1, 0);  // ...and T1, kept running, takes the lock again
    Step();
  }
  rc_starvation_finish();
  EXPECT_TRUE(Findings().empty());
  // The same retakes while T2 stays blocked (the lock keeps it out) count.
  rc_starvation_reset();
  Wait(2, 0);
  for (int i = 0; i < 10; ++i) {
    Acquire(1, 0);
    threads_[2]->status = RC_THREAD_BLOCKED;
    Step();
  }
  rc_starvation_finish();
  auto findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]->waiters[0].tid, 2u);
}

TEST_F(StarvationTest, CompareExchangeSpinLock) {
  std::atomic<int> word{0};
  CompareExchange(1, word, 0, 1);
  CompareExchange(2, word, 0, 1);  // fails: T2 waits for 0
  for (int i = 0; i < 3; ++i) {
    Store(1, word, 0);
    CompareExchange(1, word, 0, 1);
    CompareExchange(2, word, 0, 1);  // fails again, still waiting
  }
  rc_starvation_finish();
  auto findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]->waiters[0].op, RC_OP_ATOMIC_CMPXCHG);
  EXPECT_EQ(Count(findings[0], "bypasses")->value, 3u);
}

TEST_F(StarvationTest, ASpinWaiterThatWentOnWithSomethingElseIsNotBypassed) {
  std::atomic<int> word{0};
  Exchange(1, word, 1);
  Exchange(2, word, 1);                                                      // one failed try...
  threads_[2]->pending = rc_pending_op{RC_OP_MUTEX_LOCK, nullptr, nullptr};  // ...then other work
  for (int i = 0; i < 5; ++i) {
    Store(1, word, 0);
    Exchange(1, word, 1);
  }
  rc_starvation_finish();
  EXPECT_TRUE(Findings().empty());
}

TEST_F(StarvationTest, ReadModifyWriteCountersAndUnlocksAreNoSpinLock) {
  std::atomic<int> counter{5};
  std::atomic<int> word{1};
  for (int i = 0; i < 10; ++i) {
    Exchange(i % 2 + 1, counter, counter.load() + 1);  // changes the value: no failure
    Exchange(1, word, 0);                              // an exchange that releases
    Exchange(1, word, 1);
  }
  rc_starvation_finish();
  EXPECT_TRUE(Findings().empty());
}

TEST_F(StarvationTest, AnAddThatTakesACompareExchangeLockIsABypass) {
  std::atomic<int> word{0};
  CompareExchange(1, word, 0, 1);
  CompareExchange(2, word, 0, 1);  // fails: T2 waits for 0
  for (int i = 0; i < 3; ++i) {
    Add(1, word, -1);  // 1 -> 0: a release, no acquisition
    Add(1, word, 1);   // 0 -> 1: an acquisition by an add, a bypass of T2
    CompareExchange(2, word, 0, 1);
  }
  rc_starvation_finish();
  auto findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(Count(findings[0], "bypasses")->value, 3u);
  EXPECT_EQ(findings[0]->waiters[1].op, RC_OP_ATOMIC_RMW);
}

TEST_F(StarvationTest, AnAddOfZeroThatFindsTheLockSetIsAFailedTry) {
  std::atomic<int> word{0};
  Exchange(1, word, 1);
  Add(2, word, 0);  // leaves 1 unchanged: T2's wait begins
  for (int i = 0; i < 3; ++i) {
    Store(1, word, 0);
    Exchange(1, word, 1);
    Add(2, word, 0);
  }
  rc_starvation_finish();
  auto findings = Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]->waiters[0].tid, 2u);
  EXPECT_EQ(Count(findings[0], "bypasses")->value, 3u);
}

TEST_F(StarvationTest, ChangingAddsReadNothingWhileNoSpinLockIsWaitedOn) {
  // An address that would fault if read: with no spin lock and no RMW
  // pending, an add that changes the value is settled without a read.
  auto *unmapped = reinterpret_cast<const void *>(uintptr_t{8});
  for (int i = 0; i < 3; ++i) {
    rc_starvation_rmw(threads_[1], unmapped, sizeof(long), true, spin_site_);
    Step();
  }
  EXPECT_FALSE(rc_starvation_rmw_pending);
  rc_starvation_finish();
  EXPECT_TRUE(Findings().empty());
}

TEST_F(StarvationTest, NotUnderPctNorWithoutFairness) {
  for (const char *strategy : {"pct", "random"}) {
    rc_starvation_reset();
    g_rt.options.strategy = strategy;
    g_rt.options.fair = std::strcmp(strategy, "pct") == 0;  // pct+fair, then random without fair
    Wait(2, 0);
    for (int i = 0; i < 5; ++i) Acquire(1, 0);
    rc_starvation_finish();
  }
  EXPECT_TRUE(Findings().empty());
}

TEST_F(StarvationTest, ThresholdZeroDisablesTheCheck) {
  g_rt.options.starvation_bypasses = 0;
  Wait(2, 0);
  for (int i = 0; i < 5; ++i) Acquire(1, 0);
  rc_starvation_finish();
  EXPECT_TRUE(Findings().empty());
}

}  // namespace
}  // namespace racecheck
