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

// A thread the creator knows all of gives its clock slot to the next thread,
// whose epochs go on above its last: knowing the new thread implies knowing
// the old one, knowing part of the old one is not knowing the new one, and
// clocks stay as wide as the threads alive together.
TEST(VectorClock, ClockSlotOfAKnownFinishedThreadIsReused) {
  rc_clock_slots saved = rc_clock_slot_map;
  rc_clock_slot_map = rc_clock_slots{};
  rc_thread *threads[4];
  rc_thread **saved_threads = g_rt.threads;
  g_rt.threads = threads;
  auto make = [&](rc_tid tid, rc_thread *parent) {
    auto *t = static_cast<rc_thread *>(rc_alloc(sizeof(rc_thread)));
    t->tid = tid;
    t->status = RC_THREAD_ENABLED;
    threads[tid] = t;
    rc_thread_take_clock_slot(t, parent);
    rc_vc_set(&t->vc, tid, t->clock_floor + 1);
    if (parent) rc_vc_join(&t->vc, &parent->vc);
    return t;
  };
  rc_thread *main = make(0, nullptr);
  rc_thread *first = make(1, main);
  rc_vc_set(&first->vc, 1, 5);  // four releases
  Vc partial;                   // someone who saw first's third epoch
  rc_vc_set(&partial.vc, 1, 3);
  first->status = RC_THREAD_FINISHED;
  rc_thread_release_clock_slot(first);
  // main has not joined `first`: its slot stays its own.
  rc_thread *second = make(2, main);
  EXPECT_NE(rc_vc_slot(2), rc_vc_slot(1));
  rc_vc_join(&main->vc, &first->vc);  // the join, which frees first's clocks
  rc_vc_destroy(&first->vc);
  rc_thread *third = make(3, main);
  EXPECT_EQ(rc_vc_slot(3), rc_vc_slot(1));
  EXPECT_EQ(third->clock_floor, 5u);
  EXPECT_EQ(rc_vc_get(&third->vc, 3), 6u);
  EXPECT_EQ(rc_vc_get(&third->vc, 1), 6u);   // knows all of `first`
  EXPECT_EQ(rc_vc_get(&partial.vc, 3), 3u);  // below third's first epoch
  EXPECT_LT(rc_vc_get(&partial.vc, 3), rc_vc_get(&third->vc, 3));
  EXPECT_EQ(third->vc.n, 2u);  // slots 0 and 1, not tids 0..3
  for (rc_thread *t : {main, first, second, third}) rc_vc_destroy(&t->vc);
  rc_free(rc_clock_slot_map.of, rc_clock_slot_map.cap * sizeof(uint32_t));
  rc_clock_slot_map = saved;
  g_rt.threads = saved_threads;
}

}  // namespace
}  // namespace racecheck
