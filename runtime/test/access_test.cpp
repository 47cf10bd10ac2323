// access_test.cpp — the ABI entry points (access.c): sized and range
// accesses reach the shadow, function entry/exit maintain the interned stack,
// events count down the preemption budget, and non-holders are ignored.
#include "test_support.h"

extern "C" {
#include "intercept/memory_effects.h"
}

namespace racecheck {
namespace {

class AccessTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    t1 = NewThread(1, 0);
    t2 = NewThread(2, 0);
    mem = FreshMemory(64);
  }
  rc_thread *t1, *t2;
  uintptr_t mem;
};

TEST_F(AccessTest, SizedWritesAndReadsDetectRaces) {
  void *p = reinterpret_cast<void *>(mem);
  const rc_site *w = NewSite("acc.c", "writer", 3);
  const rc_site *r = NewSite("acc.c", "reader", 4);
  RunAs(t1);
  __racecheck_write8(p, w);
  EXPECT_EQ(t1->last_site, w);
  RunAs(t2);
  __racecheck_read1(static_cast<char *>(p) + 7, r);
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[0].size, 1u);
  EXPECT_EQ(f[0]->accesses[1].size, 8u);
}

// Option access_points: an access is a point when the shadow holds another
// thread's conflicting access (one of the two writes), ordered or not; a
// thread's own data, read-only sharing and repeated accesses in one epoch
// are none.
TEST_F(AccessTest, SharedAccessesAreSchedulingPoints) {
  rc_access_points_active = true;
  rc_fake_shared_access_points = 0;
  char *p = reinterpret_cast<char *>(mem);
  const rc_site *site = NewSite("acc.c", "f", 5);
  RunAs(t1);
  __racecheck_write8(p, site);     // first touch: thread-local
  __racecheck_write8(p, site);     // same epoch
  __racecheck_read8(p + 8, site);  // another word, untouched
  EXPECT_EQ(rc_fake_shared_access_points, 0u);
  RunAs(t2);
  __racecheck_read8(p + 8, site);  // read after read: no conflict
  EXPECT_EQ(rc_fake_shared_access_points, 0u);
  __racecheck_read4(p + 4, site);  // t1 wrote these bytes
  EXPECT_EQ(rc_fake_shared_access_points, 1u);
  __racecheck_read4(p + 4, site);  // same epoch: the fast path
  EXPECT_EQ(rc_fake_shared_access_points, 1u);
  __racecheck_write8(p + 8, site);  // t1 read it: a write conflicts
  EXPECT_EQ(rc_fake_shared_access_points, 2u);
  __racecheck_write8(p + 24, site);
  Synchronize(t2, t1);
  RunAs(t1);
  __racecheck_read8(p + 24, site);  // ordered after t2's write, still shared
  EXPECT_EQ(rc_fake_shared_access_points, 3u);
  rc_access_points_active = false;
  __racecheck_write8(p + 16, site);
  RunAs(t2);
  __racecheck_write8(p + 16, site);  // off: no point
  EXPECT_EQ(rc_fake_shared_access_points, 3u);
}

TEST_F(AccessTest, EverySizeCoversExactlyItsBytes) {
  const unsigned sizes[] = {1, 2, 4, 8, 16};
  void (*writes[])(void *, const rc_site *) = {__racecheck_write1, __racecheck_write2,
                                               __racecheck_write4, __racecheck_write8,
                                               __racecheck_write16};
  void (*reads[])(const void *, const rc_site *) = {__racecheck_read1, __racecheck_read2,
                                                    __racecheck_read4, __racecheck_read8,
                                                    __racecheck_read16};
  for (int i = 0; i < 5; i++) {
    uintptr_t base = FreshMemory(64);
    RunAs(t1);
    writes[i](reinterpret_cast<void *>(base), NewSite("s.c", "w", 10 * i + 1));
    RunAs(t2);
    size_t before = Findings().size();
    reads[i](reinterpret_cast<void *>(base + sizes[i]), NewSite("s.c", "r", 10 * i + 2));
    EXPECT_EQ(Findings().size(), before) << "size " << sizes[i];
    reads[i](reinterpret_cast<void *>(base + sizes[i] - 1), NewSite("s.c", "r", 10 * i + 3));
    EXPECT_EQ(Findings().size(), before + 1) << "size " << sizes[i];
  }
}

TEST_F(AccessTest, RangeAccesses) {
  RunAs(t1);
  __racecheck_write_range(reinterpret_cast<void *>(mem), 40, NewSite("r.c", "memset", 1));
  __racecheck_read_range(reinterpret_cast<void *>(mem), 0, NewSite("r.c", "empty", 2));
  RunAs(t2);
  __racecheck_read_range(reinterpret_cast<void *>(mem + 39), 10, NewSite("r.c", "memcpy", 3));
  EXPECT_EQ(Findings().size(), 1u);
}

// A vptr store of the value already there (a destructor chain) is a read:
// no race with another thread's virtual call; a new value is a write.
TEST_F(AccessTest, VptrUpdateIsAWriteOnlyWhenTheValueChanges) {
  void **vptr = reinterpret_cast<void **>(mem);
  static int derived_table, base_table;
  *vptr = &derived_table;
  RunAs(t1);
  __racecheck_read8(vptr, NewSite("v.cpp", "virtual_call", 1));
  RunAs(t2);
  __racecheck_vptr_update(vptr, &derived_table, NewSite("v.cpp", "~Derived", 2));
  EXPECT_TRUE(Findings().empty());
  EXPECT_EQ(t2->plain_writes, 0u);
  __racecheck_vptr_update(vptr, &base_table, NewSite("v.cpp", "~Base", 3));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(t2->plain_writes, 1u);
}

// The checks of libc calls (memory_effects.h): ranges and I/O vectors, no
// event of their own, and no race-directed point (last_site unchanged).
TEST_F(AccessTest, LibcRangesAndVectors) {
  char *p = reinterpret_cast<char *>(mem);
  const rc_site *call = NewSite("l.c", "read", 1);
  RunAs(t1);
  uint64_t budget = t1->budget;
  struct iovec iov[2] = {{p, 4}, {p + 16, 8}};
  rc_libc_iov_access(iov, 2, 6, true, call);  // bytes 0-3 and 16-17
  EXPECT_EQ(t1->budget, budget);
  EXPECT_EQ(t1->last_site, nullptr);
  RunAs(t2);
  rc_libc_read_range(p + 4, 12, NewSite("l.c", "gap", 2));
  rc_libc_read_range(p + 18, 6, NewSite("l.c", "past", 3));
  EXPECT_TRUE(Findings().empty());
  rc_libc_read_range(p + 17, 1, NewSite("l.c", "strlen", 4));
  EXPECT_EQ(Findings().size(), 1u);
}

TEST_F(AccessTest, IgnoredWithoutTokenOrForOtherThreads) {
  const rc_site *a = NewSite("i.c", "a", 1), *b = NewSite("i.c", "b", 2);
  g_rt.current = nullptr;
  rc_self = t1;
  __racecheck_write4(reinterpret_cast<void *>(mem), a);
  g_rt.current = t1;
  rc_self = t2;  // the caller is not the token holder
  __racecheck_write4(reinterpret_cast<void *>(mem), b);
  RunAs(t2);
  __racecheck_write4(reinterpret_cast<void *>(mem), b);
  EXPECT_TRUE(Findings().empty());
  EXPECT_EQ(t1->last_site, nullptr);
}

TEST_F(AccessTest, EventsSpendTheBudget) {
  RunAs(t1);
  t1->budget = 3;
  uint64_t before = rc_fake_preempt_points;
  const rc_site *s = NewSite("b.c", "f", 1);
  __racecheck_read4(reinterpret_cast<void *>(mem), s);
  __racecheck_func_entry(s);
  EXPECT_EQ(rc_fake_preempt_points, before);
  __racecheck_func_exit();  // exits are not events
  __racecheck_read4(reinterpret_cast<void *>(mem), s);
  EXPECT_EQ(rc_fake_preempt_points, before + 1);
  EXPECT_EQ(t1->budget, static_cast<uint32_t>(RC_FAKE_BUDGET));
}

TEST_F(AccessTest, FunctionEntryAndExitMaintainTheStack) {
  RunAs(t1);
  const rc_site *main_fn = NewSite("m.c", "main", 10);
  const rc_site *work_fn = NewSite("m.c", "work", 3);
  const rc_site *call = NewSite("m.c", "main", 12, 5);
  __racecheck_call_site = nullptr;
  __racecheck_func_entry(main_fn);
  rc_stack_id in_main = t1->current_stack;
  EXPECT_EQ(t1->depth, 1u);
  EXPECT_EQ(rc_stack_node_get(in_main)->call_site, nullptr);
  __racecheck_call_site = call;
  __racecheck_func_entry(work_fn);
  EXPECT_EQ(__racecheck_call_site, nullptr);  // consumed
  const rc_stack_node *n = rc_stack_node_get(t1->current_stack);
  EXPECT_EQ(n->function, work_fn);
  EXPECT_EQ(n->call_site, call);
  EXPECT_EQ(n->parent, in_main);
  EXPECT_EQ(t1->depth, 2u);
  __racecheck_func_exit();
  EXPECT_EQ(t1->current_stack, in_main);
  __racecheck_func_exit();
  EXPECT_EQ(t1->current_stack, 0u);
  __racecheck_func_exit();  // unbalanced exit: stays empty
  EXPECT_EQ(t1->depth, 0u);
  EXPECT_EQ(t1->current_stack, 0u);
}

// A C++ static initialiser stores the call site of __cxa_atexit (not
// instrumented, so nothing consumes it) and returns; main, entered later from
// libc, must not take that stale site as its caller.
TEST_F(AccessTest, ExitDropsACallSiteLeftForUninstrumentedCode) {
  RunAs(t1);
  const rc_site *init_fn = NewSite("g.cpp", "__cxx_global_var_init", 3);
  const rc_site *atexit_call = NewSite("g.cpp", "__cxx_global_var_init", 3, 1);
  const rc_site *main_fn = NewSite("g.cpp", "main", 6);
  __racecheck_call_site = nullptr;
  __racecheck_func_entry(init_fn);
  __racecheck_call_site = atexit_call;  // before calling __cxa_atexit
  __racecheck_func_exit();
  EXPECT_EQ(__racecheck_call_site, nullptr);
  __racecheck_func_entry(main_fn);
  EXPECT_EQ(t1->depth, 1u);
  EXPECT_EQ(rc_stack_node_get(t1->current_stack)->call_site, nullptr);
  __racecheck_func_exit();
  // Also before the thread is known to the runtime (static initialisers may
  // run before T0 is registered).
  g_rt.current = nullptr;
  __racecheck_call_site = atexit_call;
  __racecheck_func_exit();
  EXPECT_EQ(__racecheck_call_site, nullptr);
}

TEST_F(AccessTest, DeepRecursionGrowsTheThreadStack) {
  RunAs(t1);
  const rc_site *f = NewSite("rec.c", "f", 1);
  for (int i = 0; i < 1000; i++) {
    __racecheck_call_site = f;
    __racecheck_func_entry(f);
  }
  EXPECT_EQ(t1->depth, 1000u);
  EXPECT_EQ(rc_stack_node_get(t1->current_stack)->depth, 1000u);
  for (int i = 0; i < 1000; i++) __racecheck_func_exit();
  EXPECT_EQ(t1->current_stack, 0u);
}

TEST_F(AccessTest, RaceCarriesTheAccessingStacks) {
  const rc_site *fn = NewSite("st.c", "worker", 1);
  const rc_site *w = NewSite("st.c", "worker", 2);
  RunAs(t1);
  __racecheck_func_entry(fn);
  __racecheck_write4(reinterpret_cast<void *>(mem), w);
  rc_stack_id s1 = t1->current_stack;
  RunAs(t2);
  __racecheck_func_entry(fn);
  __racecheck_write4(reinterpret_cast<void *>(mem), w);
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[0].stack, s1);  // same frames: same interned id
  EXPECT_EQ(f[0]->accesses[1].stack, s1);
}

// A box check must mark exactly the bytes of its elements: for every byte
// of the region, write the box into fresh memory and read that byte from
// another thread (a new site each time, so no report is de-duplicated away;
// fresh memory, so the probes' own cells never evict the box's), and compare
// with the elements enumerated by hand. Shapes: dense, sparse (gathered per granule),
// overlapping, downwards, two and three dimensions, odd and wide elements.
TEST_F(AccessTest, BoxMarksExactlyTheBytesOfItsElements) {
  struct Shape {
    long offset;  // of the first element walked, from the region's start
    unsigned long size;
    unsigned long count[3];
    long stride[3];
  };
  const Shape shapes[] = {
      {0, 8, {12, 1, 1}, {8, 0, 0}},      // contiguous row
      {3, 1, {40, 1, 1}, {2, 0, 0}},      // every other byte, odd start
      {4, 4, {10, 1, 1}, {16, 0, 0}},     // sparse: one element per 2 granules
      {1, 8, {9, 1, 1}, {3, 0, 0}},       // overlapping elements
      {200, 4, {20, 1, 1}, {-8, 0, 0}},   // downwards
      {8, 3, {5, 4, 1}, {4, 48, 0}},      // 2-D, odd element size
      {0, 16, {2, 3, 2}, {24, 64, 32}},   // 3-D, wide elements, overlapping planes
      {250, 2, {3, 2, 1}, {-2, -40, 0}},  // 2-D downwards
  };
  int n = 0;
  for (const Shape &shape : shapes) {
    SCOPED_TRACE(n++);
    bool expected[256] = {};
    for (unsigned long i2 = 0; i2 < shape.count[2]; i2++)
      for (unsigned long i1 = 0; i1 < shape.count[1]; i1++)
        for (unsigned long i0 = 0; i0 < shape.count[0]; i0++) {
          long first = shape.offset + long(i0) * shape.stride[0] + long(i1) * shape.stride[1] +
                       long(i2) * shape.stride[2];
          for (unsigned long b = 0; b < shape.size; b++) {
            ASSERT_GE(first + long(b), 0);
            ASSERT_LT(first + long(b), 256);
            expected[first + long(b)] = true;
          }
        }
    // Positions of their own per shape: a pair of positions is reported once.
    const rc_site *fill = NewSite("box.c", "fill", 1000 * (n + 1));
    rc_thread *probe = NewThread(3 + n, 0);
    for (int byte = 0; byte < 256; byte++) {
      uintptr_t region = FreshMemory(256);
      RunAs(t1);
      __racecheck_write_box(reinterpret_cast<void *>(region + shape.offset), shape.size,
                            shape.count[0], shape.stride[0], shape.count[1], shape.stride[1],
                            shape.count[2], shape.stride[2], fill);
      RunAs(probe);
      size_t before = Findings().size();
      __racecheck_read1(reinterpret_cast<void *>(region + byte),
                        NewSite("box.c", "probe", unsigned(1000 * n + byte + 1)));
      EXPECT_EQ(Findings().size() > before, expected[byte]) << "byte " << byte;
    }
  }
}

TEST_F(AccessTest, BoxReportsTheElementAndCountsOneEvent) {
  const rc_site *fill = NewSite("box.c", "fill", 7);
  RunAs(t1);
  uint32_t budget = t1->budget;
  __racecheck_write_box(reinterpret_cast<void *>(mem), 4, 16, 4, 1, 0, 1, 0, fill);
  EXPECT_EQ(t1->budget, budget - 1);
  EXPECT_EQ(t1->last_site, fill);
  RunAs(t2);
  __racecheck_read8(reinterpret_cast<void *>(mem + 40), NewSite("box.c", "r", 8));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].site, fill);
  EXPECT_EQ(f[0]->accesses[1].size, 4u);  // the element, not the 64-byte row
  EXPECT_TRUE(f[0]->accesses[1].write);
  // A read box against the write box: a race; against itself: none.
  RunAs(t1);
  __racecheck_read_box(reinterpret_cast<void *>(mem), 4, 16, 4, 1, 0, 1, 0, fill);
  EXPECT_EQ(Findings().size(), 1u);
}

}  // namespace
}  // namespace racecheck
