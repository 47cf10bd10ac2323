// lock_order_test.cpp — lock-order edge recording (lock_order.c): one edge
// per held lock, deduplication, fork-join and sync-order clocks, and the
// record's `fork-join-clock` / `sync-order-clock` / `lock-edge` entries.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "test_support.h"

namespace racecheck {
namespace {

class LockOrderTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    for (uint32_t i = 0; i < 4; ++i)
      rc_fake_locks[i] = rc_lock_info{i, RC_SYNC_MUTEX, names_[i], nullptr, 0, 0, 0, "mutex"};
    rc_fake_n_locks = 4;
  }

  // t now holds `lock`, acquired at `site` (what sync.c's rc_held_add does).
  void Hold(rc_thread *t, uint32_t lock, const rc_site *site, bool write = true) {
    if (t->n_held == t->held_cap) {
      uint32_t cap = t->held_cap ? t->held_cap * 2 : 8;
      t->held = static_cast<rc_held_lock *>(
          rc_realloc(t->held, t->held_cap * sizeof *t->held, cap * sizeof *t->held));
      t->held_cap = cap;
    }
    t->held[t->n_held] = rc_held_lock{lock, site, t->current_stack, write};
    t->lockset = rc_lockset_with_held(t->lockset, &t->held[t->n_held]);
    t->n_held++;
  }

  const char *names_[4] = {"a", "b", "c", "d"};
};

TEST_F(LockOrderTest, OneEdgePerHeldLockAndNoneWithoutHeldLocks) {
  const rc_site *at_a = NewSite("x.c", "f", 10, 1);
  const rc_site *at_b = NewSite("x.c", "f", 11, 1);
  const rc_site *at_c = NewSite("x.c", "f", 12, 1);
  rc_thread *t = NewThread(1, 0);
  rc_lock_order_acquire(t, 0, at_a, true, RC_LOCK_WAIT_BLOCK);
  EXPECT_EQ(rc_lock_edge_count(), 0u);
  Hold(t, 0, at_a);
  Hold(t, 1, at_b, false);
  rc_lock_order_acquire(t, 2, at_c, true, RC_LOCK_WAIT_TRY);
  ASSERT_EQ(rc_lock_edge_count(), 2u);
  const rc_lock_edge *first = rc_lock_edge_get(0);
  EXPECT_EQ(first->tid, 1u);
  EXPECT_EQ(first->held_lock, 0u);
  EXPECT_EQ(first->held_site, at_a);
  EXPECT_TRUE(first->held_write);
  EXPECT_EQ(first->lock, 2u);
  EXPECT_EQ(first->site, at_c);
  EXPECT_EQ(first->wait, RC_LOCK_WAIT_TRY);
  EXPECT_EQ(first->held_lockset, t->lockset);
  const rc_lock_edge *second = rc_lock_edge_get(1);
  EXPECT_EQ(second->held_lock, 1u);
  EXPECT_FALSE(second->held_write);
  EXPECT_EQ(second->held_lockset, t->lockset);
}

TEST_F(LockOrderTest, RepeatedAcquisitionsAreDeduplicatedButNewFactsAreNot) {
  const rc_site *at_a = NewSite("x.c", "f", 10, 1);
  const rc_site *at_b = NewSite("x.c", "f", 11, 1);
  const rc_site *elsewhere = NewSite("x.c", "g", 30, 1);
  rc_thread *t = NewThread(1, 0);
  Hold(t, 0, at_a);
  for (int i = 0; i < 1000; ++i) rc_lock_order_acquire(t, 1, at_b, true, RC_LOCK_WAIT_BLOCK);
  EXPECT_EQ(rc_lock_edge_count(), 1u);
  rc_lock_order_acquire(t, 1, elsewhere, true, RC_LOCK_WAIT_BLOCK);  // another site
  rc_lock_order_acquire(t, 1, at_b, false, RC_LOCK_WAIT_BLOCK);      // another mode
  rc_lock_order_acquire(t, 1, at_b, true, RC_LOCK_WAIT_TIMED);       // another wait
  EXPECT_EQ(rc_lock_edge_count(), 4u);
  rc_thread *other = NewThread(2, 0);
  Hold(other, 0, at_a);
  rc_lock_order_acquire(other, 1, at_b, true, RC_LOCK_WAIT_BLOCK);  // another thread
  EXPECT_EQ(rc_lock_edge_count(), 5u);
  // Re-asking for a lock already held (a second read hold) orders nothing.
  rc_lock_order_acquire(other, 0, at_a, false, RC_LOCK_WAIT_BLOCK);
  EXPECT_EQ(rc_lock_edge_count(), 5u);
}

TEST_F(LockOrderTest, ASecondHoldOfAHeldLockStillGivesItsOwnEdge) {
  // A read lock held twice is in the held set once (its first hold), so the
  // set alone does not say which holds there are: the same request must
  // still add the second hold's edge.
  const rc_site *read_a = NewSite("x.c", "f", 10, 1);
  const rc_site *read_b = NewSite("x.c", "f", 11, 1);
  const rc_site *at_c = NewSite("x.c", "f", 12, 1);
  rc_thread *t = NewThread(1, 0);
  Hold(t, 0, read_a, false);
  for (int i = 0; i < 3; ++i) rc_lock_order_acquire(t, 1, at_c, true, RC_LOCK_WAIT_BLOCK);
  EXPECT_EQ(rc_lock_edge_count(), 1u);
  rc_lockset_id before = t->lockset;
  Hold(t, 0, read_b, false);
  ASSERT_EQ(t->lockset, before);
  rc_lock_order_acquire(t, 1, at_c, true, RC_LOCK_WAIT_BLOCK);
  ASSERT_EQ(rc_lock_edge_count(), 2u);
  EXPECT_EQ(rc_lock_edge_get(1)->held_site, read_b);
}

TEST_F(LockOrderTest, TwoHundredHeldLocksAreNotCapped) {
  const rc_site *site = NewSite("x.c", "f", 10, 1);
  rc_thread *t = NewThread(1, 0);
  for (uint32_t i = 0; i < 200; ++i) {
    rc_lock_order_acquire(t, i, site, true, RC_LOCK_WAIT_BLOCK);
    Hold(t, i, site);
  }
  EXPECT_EQ(t->n_held, 200u);
  EXPECT_EQ(rc_lock_edge_count(), 200u * 199u / 2u);
}

TEST_F(LockOrderTest, ForkJoinClockAdvancesOnlyAtCreateAndJoin) {
  const rc_site *site = NewSite("x.c", "f", 10, 1);
  rc_thread *t0 = NewThread(0, UINT32_MAX);
  rc_thread *t1 = NewThread(1, 0);
  Hold(t0, 0, site);
  rc_lock_order_acquire(t0, 1, site, true, RC_LOCK_WAIT_BLOCK);
  rc_fork_join_on_create(t0, t1);
  rc_lock_order_acquire(t0, 2, site, true, RC_LOCK_WAIT_BLOCK);
  Hold(t1, 3, site);
  rc_lock_order_acquire(t1, 1, site, true, RC_LOCK_WAIT_BLOCK);
  rc_fork_join_on_join(t0, t1);
  rc_lock_order_acquire(t0, 3, site, true, RC_LOCK_WAIT_BLOCK);
  ASSERT_EQ(rc_lock_edge_count(), 4u);
  ASSERT_EQ(rc_fork_join_clock_count(), 4u);
  const rc_vc *before = rc_fork_join_clock_get(rc_lock_edge_get(0)->fork_join_clock);
  const rc_vc *after_create = rc_fork_join_clock_get(rc_lock_edge_get(1)->fork_join_clock);
  const rc_vc *child = rc_fork_join_clock_get(rc_lock_edge_get(2)->fork_join_clock);
  const rc_vc *after_join = rc_fork_join_clock_get(rc_lock_edge_get(3)->fork_join_clock);
  // T0's edge before the create is ordered before the child's; after it, not.
  EXPECT_LE(rc_vc_get(before, 0), rc_vc_get(child, 0));
  EXPECT_GT(rc_vc_get(after_create, 0), rc_vc_get(child, 0));
  EXPECT_GT(rc_vc_get(child, 1), rc_vc_get(after_create, 1));
  // After the join, T0 knows everything T1 did.
  EXPECT_LE(rc_vc_get(child, 1), rc_vc_get(after_join, 1));
}

TEST_F(LockOrderTest, RecordHasForkJoinClocksAndLockEdges) {
  char path[] = "/tmp/racecheck-lock-order-test-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  rc_options saved = g_rt.options;
  g_rt.options.record = path;
  const rc_site *at_a = NewSite("x.c", "f", 10, 1);
  const rc_site *at_b = NewSite("x.c", "f", 11, 1);
  rc_thread *t0 = NewThread(0, UINT32_MAX);
  rc_thread *t1 = NewThread(1, 0);
  AddToRuntime(t0);
  AddToRuntime(t1);
  rc_fork_join_on_create(t0, t1);
  Hold(t1, 2, at_a);
  rc_lock_order_acquire(t1, 3, at_b, false, RC_LOCK_WAIT_TIMED);
  rc_write_record(0, 0);
  g_rt.options = saved;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  unlink(path);
  // Locks, sites and the lockset get record ids in first-reference order.
  EXPECT_NE(text.str().find("lock\t0\tmutex\tc\t-1\t0\t0\t0\n"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("lock\t1\tmutex\td\t-1\t0\t0\t0\n"), std::string::npos);
  EXPECT_NE(text.str().find("lockset\t1\t0:0:0:w\n"), std::string::npos);
  // T1 was created when T0's own entry was 1.
  EXPECT_NE(text.str().find("fork-join-clock\t0\t1\t1\n"), std::string::npos);
  // Its sync-order clock starts from the same create, ordered by no object.
  EXPECT_NE(text.str().find("sync-order-clock\t0\t-1\t1\t1\n"), std::string::npos);
  EXPECT_NE(text.str().find("lock-edge\t1\t0\t0\t0\tw\t1\t1\t0\tr\ttimed\t1\t0\t0\n"),
            std::string::npos)
      << text.str();
}

TEST_F(LockOrderTest, SyncOrderClockOrdersARequestBeforeAnotherThroughAnObject) {
  const rc_site *site = NewSite("x.c", "f", 10, 1);
  rc_thread *t0 = NewThread(0, UINT32_MAX);
  rc_thread *t1 = NewThread(1, 0);
  rc_thread *t2 = NewThread(2, 0);
  rc_fork_join_on_create(t0, t1);
  rc_fork_join_on_create(t0, t2);
  rc_vc sem;
  rc_vc_init(&sem);
  // T1 asks for 1 holding 0, then posts; T2 waits (object lock id 3), then
  // asks for 0 holding 1: T2's request comes after T1's.
  Hold(t1, 0, site);
  rc_lock_order_acquire(t1, 1, site, true, RC_LOCK_WAIT_BLOCK);
  rc_sync_order_release(t1, &sem);
  rc_sync_order_acquire(t2, &sem, 3);
  Hold(t2, 1, site);
  rc_lock_order_acquire(t2, 0, site, true, RC_LOCK_WAIT_BLOCK);
  // T1 asks again after its post: a new epoch T2 does not know.
  rc_lock_order_acquire(t1, 2, site, true, RC_LOCK_WAIT_BLOCK);
  ASSERT_EQ(rc_lock_edge_count(), 3u);
  uint32_t via_first, via_second, via_third;
  const rc_vc *first = rc_sync_order_clock_get(rc_lock_edge_get(0)->sync_order_clock, &via_first);
  const rc_vc *second = rc_sync_order_clock_get(rc_lock_edge_get(1)->sync_order_clock, &via_second);
  const rc_vc *third = rc_sync_order_clock_get(rc_lock_edge_get(2)->sync_order_clock, &via_third);
  ASSERT_TRUE(first && second && third);
  EXPECT_LE(rc_vc_get(first, 1), rc_vc_get(second, 1));
  EXPECT_EQ(via_first, UINT32_MAX);
  EXPECT_EQ(via_second, 3u);
  EXPECT_GT(rc_vc_get(third, 1), rc_vc_get(second, 1));
  // Fork/join alone orders none of them.
  const rc_vc *fj1 = rc_fork_join_clock_get(rc_lock_edge_get(0)->fork_join_clock);
  const rc_vc *fj2 = rc_fork_join_clock_get(rc_lock_edge_get(1)->fork_join_clock);
  EXPECT_GT(rc_vc_get(fj1, 1), rc_vc_get(fj2, 1));
  rc_vc_destroy(&sem);
}

}  // namespace
}  // namespace racecheck
