// globals_heap_test.cpp — address symbolization: registered globals with
// their type layouts (globals.c), the heap block registry fed by the malloc
// interceptors (heap.c), and thread stacks.
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <vector>

#include "test_support.h"

namespace racecheck {
namespace {

class SymbolizeTest : public RuntimeTest {
 protected:
  // Registers one global over fresh memory and returns its address.
  uintptr_t AddGlobal(const char *name, unsigned long size, const char *layout) {
    uintptr_t addr = FreshMemory(size);
    auto *g = static_cast<__racecheck_global *>(rc_alloc(sizeof(__racecheck_global)));
    *g = __racecheck_global{reinterpret_cast<const void *>(addr), size, name, layout,
                            NewSite("g.c", "", 1)};
    __racecheck_register_globals(g, 1);
    return addr;
  }
  std::string Field(uintptr_t addr) {
    rc_variable v;
    rc_describe_address(addr, &v);
    EXPECT_EQ(v.kind, RC_VAR_GLOBAL);
    return v.field;
  }
  std::string Name(uintptr_t addr) {
    char buf[64];
    const char *n = rc_global_name_at(addr, buf, sizeof buf);
    return n ? n : "<none>";
  }
};

TEST_F(SymbolizeTest, ScalarGlobal) {
  uintptr_t counter = AddGlobal("counter", 4, "@0+4");
  rc_variable v;
  rc_describe_address(counter + 2, &v);
  EXPECT_EQ(v.kind, RC_VAR_GLOBAL);
  EXPECT_STREQ(v.name, "counter");
  EXPECT_STREQ(v.field, "");
  EXPECT_EQ(v.offset, 2u);
  EXPECT_EQ(v.size, 4u);
  ASSERT_NE(v.site, nullptr);
  EXPECT_EQ(v.site->line, 1u);
  EXPECT_EQ(Name(counter), "counter");
  EXPECT_EQ(Name(counter + 4), "<none>");
}

TEST_F(SymbolizeTest, StructFields) {
  uintptr_t account = AddGlobal("account", 48, "balance@0+8;lock@8+40");
  EXPECT_EQ(Field(account), "balance");
  EXPECT_EQ(Field(account + 7), "balance");
  EXPECT_EQ(Field(account + 8), "lock");
  EXPECT_EQ(Field(account + 47), "lock");
  EXPECT_EQ(Name(account + 8), "account.lock");
}

TEST_F(SymbolizeTest, ArrayElements) {
  uintptr_t a = AddGlobal("a", 400, "a[]@0+4*100");
  EXPECT_EQ(Field(a + 12), "a[3]");
  EXPECT_EQ(Field(a + 399), "a[99]");
  uintptr_t b = AddGlobal("b", 80, "[]@0+8*10");  // the variable is the array
  EXPECT_EQ(Field(b + 17), "[2]");
  EXPECT_EQ(Name(b + 17), "b[2]");
}

TEST_F(SymbolizeTest, NestedPaths) {
  // struct { int n; struct { int count; char tag[4]; } items[10];
  //          struct { long x, y; } pos; } s; as the plugin flattens it:
  // members of array elements have offsets relative to the element.
  uintptr_t s = AddGlobal("s", 104,
                          "n@0+4;items[]@4+8*10;items[].count@0+4;items[].tag[]@4+1*4;"
                          "pos.x@88+8;pos.y@96+8");
  EXPECT_EQ(Field(s + 0), "n");
  EXPECT_EQ(Field(s + 4 + 8 * 3), "items[3].count");
  EXPECT_EQ(Field(s + 4 + 8 * 3 + 6), "items[3].tag[2]");
  EXPECT_EQ(Field(s + 100), "pos.y");
  EXPECT_EQ(Name(s + 4 + 8 * 9 + 4), "s.items[9].tag[0]");
}

TEST_F(SymbolizeTest, PaddingAndMissingLayoutFallBackToTheEnclosingPath) {
  uintptr_t p = AddGlobal("p", 16, "c@0+1;d@8+8");
  EXPECT_EQ(Field(p + 3), "");  // padding
  uintptr_t q = AddGlobal("q", 8, "");
  EXPECT_EQ(Field(q + 4), "");
  uintptr_t r = AddGlobal("r", 8, "ab@0+4;a@4+4");  // prefix but not parent
  EXPECT_EQ(Field(r + 1), "ab");
  EXPECT_EQ(Field(r + 5), "a");
  uintptr_t m = AddGlobal("m", 8, "bad;x@zz;y@0+8");  // malformed entries
  EXPECT_EQ(Field(m + 1), "y");
}

TEST_F(SymbolizeTest, RegistrationInAnyOrderFromSeveralModules) {
  uintptr_t base = FreshMemory(64);
  static __racecheck_global table1[2], table2[1];
  const rc_site *site = NewSite("mod.c", "", 1);
  table1[0] = {reinterpret_cast<void *>(base + 32), 8, "late", "", site};
  table1[1] = {reinterpret_cast<void *>(base), 8, "early", "", site};
  table2[0] = {reinterpret_cast<void *>(base + 16), 8, "middle", "", site};
  __racecheck_register_globals(table1, 2);
  __racecheck_register_globals(table2, 1);
  EXPECT_EQ(Name(base + 1), "early");
  EXPECT_EQ(Name(base + 17), "middle");
  EXPECT_EQ(Name(base + 39), "late");
  EXPECT_EQ(Name(base + 9), "<none>");
}

TEST_F(SymbolizeTest, ThreadStacksAndUnknown) {
  rc_thread *t = NewThread(4, 0);
  uintptr_t stack = FreshMemory(4096);
  t->stack_lo = stack;
  t->stack_hi = stack + 4096;
  AddToRuntime(t);
  rc_variable v;
  rc_describe_address(stack + 100, &v);
  EXPECT_EQ(v.kind, RC_VAR_STACK);
  EXPECT_EQ(v.tid, 4u);
  rc_describe_address(stack + 4096, &v);
  EXPECT_EQ(v.kind, RC_VAR_UNKNOWN);
}

TEST_F(SymbolizeTest, RaceOnGlobalNamesTheFieldOfTheConflictingByte) {
  uintptr_t pair = AddGlobal("pair", 8, "first@0+4;second@4+4");
  rc_thread *t1 = NewThread(1, 0), *t2 = NewThread(2, 0);
  RunAs(t1);
  rc_shadow_access(t1, pair + 4, 4, true, false, NewSite("g.c", "w", 5));
  RunAs(t2);
  rc_shadow_access(t2, pair, 8, false, false, NewSite("g.c", "r", 6));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->variable.kind, RC_VAR_GLOBAL);
  EXPECT_STREQ(f[0]->variable.field, "second");
  EXPECT_EQ(f[0]->variable.offset, 4u);
}

// ---- file descriptors' pseudo-addresses (fd_locations.c) ----
TEST_F(SymbolizeTest, RaceOnADescriptorNamesItAndItsCreation) {
  rc_thread *t1 = NewThread(1, 0), *t2 = NewThread(2, 0);
  const rc_site *created = NewSite("fd.c", "main", 3);
  uintptr_t fd7 = rc_fd_address(7);
  ASSERT_NE(fd7, 0u);
  EXPECT_EQ(rc_fd_address(8), fd7 + 8);
  EXPECT_EQ(rc_fd_address(-1), 0u);
  EXPECT_EQ(rc_fd_address(1 << 20), 0u);
  rc_fd_location_reset(7, RC_RECORD_FD_PIPE, 1, created, 0);
  RunAs(t1);
  rc_shadow_access(t1, fd7, 8, false, false, NewSite("fd.c", "reader", 5));
  RunAs(t2);
  rc_shadow_access(t2, fd7, 8, true, false, NewSite("fd.c", "closer", 6));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->variable.kind, RC_VAR_FD);
  EXPECT_EQ(f[0]->variable.fd, 7);
  EXPECT_EQ(f[0]->variable.fd_kind, RC_RECORD_FD_PIPE);
  EXPECT_EQ(f[0]->variable.tid, 1u);
  EXPECT_EQ(f[0]->variable.site, created);
}

TEST_F(SymbolizeTest, ANewDescriptorForgetsTheNumbersEarlierLife) {
  rc_thread *t1 = NewThread(1, 0), *t2 = NewThread(2, 0);
  uintptr_t fd9 = rc_fd_address(9);
  RunAs(t1);
  rc_shadow_access(t1, fd9, 8, true, false, NewSite("fd.c", "close", 5));
  // Reopened where racecheck did not see it: no creator, nothing to race.
  rc_fd_location_reset(9, RC_RECORD_FD_UNKNOWN, UINT32_MAX, nullptr, 0);
  RunAs(t2);
  rc_shadow_access(t2, fd9, 8, false, false, NewSite("fd.c", "read", 6));
  EXPECT_TRUE(Findings().empty());
  rc_variable v;
  rc_describe_address(fd9, &v);
  EXPECT_EQ(v.kind, RC_VAR_FD);
  EXPECT_EQ(v.tid, UINT32_MAX);
  EXPECT_EQ(v.fd_kind, RC_RECORD_FD_UNKNOWN);
}

// ---- heap registry through the real interceptors ----

class HeapTest : public SymbolizeTest {
 protected:
  void SetUp() override {
    SymbolizeTest::SetUp();
    t1 = NewThread(1, 0);
    t2 = NewThread(2, 0);
    t1->current_stack = rc_stack_push(0, NewSite("h.c", "alloc_fn", 1), nullptr);
  }
  rc_variable Describe(const void *p, size_t offset = 0) {
    rc_variable v;
    rc_describe_address(reinterpret_cast<uintptr_t>(p) + offset, &v);
    return v;
  }
  rc_thread *t1, *t2;
};

TEST_F(HeapTest, MallocRegistersBlockWithAllocationContext) {
  RunAs(t1);
  const rc_site *call = NewSite("h.c", "alloc_fn", 7);
  __racecheck_call_site = call;
  void *p = malloc(40);
  ASSERT_NE(p, nullptr);
  rc_variable v = Describe(p, 12);
  EXPECT_EQ(v.kind, RC_VAR_HEAP);
  EXPECT_EQ(v.offset, 12u);
  EXPECT_EQ(v.size, 40u);
  EXPECT_EQ(v.tid, 1u);
  EXPECT_EQ(v.site, call);
  EXPECT_EQ(v.stack, t1->current_stack);
  rc_variable past_end{};
  EXPECT_FALSE(rc_heap_describe(reinterpret_cast<uintptr_t>(p) + 40, &past_end));
  EXPECT_FALSE(v.freed);
  const rc_site *free_call = NewSite("h.c", "alloc_fn", 9);
  __racecheck_call_site = free_call;
  free(p);
  // Gone from the registry, but remembered as a freed block.
  v = Describe(p, 12);
  EXPECT_EQ(v.kind, RC_VAR_HEAP);
  EXPECT_TRUE(v.freed);
  EXPECT_EQ(v.offset, 12u);
  EXPECT_EQ(v.size, 40u);
  EXPECT_EQ(v.site, call);
  EXPECT_EQ(v.free_site, free_call);
  EXPECT_EQ(v.free_tid, 1u);
  EXPECT_EQ(v.free_stack, t1->current_stack);
}

TEST_F(HeapTest, LargeBlocksAreFoundFarFromTheirStart) {
  RunAs(t1);
  auto *p = static_cast<char *>(malloc(1 << 20));
  rc_variable v = Describe(p, (1 << 20) - 3);
  EXPECT_EQ(v.kind, RC_VAR_HEAP);
  EXPECT_EQ(v.offset, (1u << 20) - 3);
  free(p);
}

TEST_F(HeapTest, OtherAllocatorsRegisterToo) {
  RunAs(t1);
  void *c = calloc(3, 8);
  void *a = aligned_alloc(64, 128);
  void *m = memalign(32, 24);
  void *v = valloc(100);
  void *pm = nullptr;
  EXPECT_EQ(posix_memalign(&pm, 128, 50), 0);
  EXPECT_EQ(posix_memalign(&pm, 3, 50), EINVAL);
  ASSERT_NE(pm, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(pm) % 128, 0u);
  EXPECT_EQ(Describe(c, 23).size, 24u);
  EXPECT_EQ(Describe(a, 127).size, 128u);
  EXPECT_EQ(Describe(m, 0).size, 24u);
  EXPECT_EQ(Describe(v, 99).size, 100u);
  EXPECT_EQ(Describe(pm, 49).size, 50u);
  for (void *p : {c, a, m, v, pm}) free(p);
  EXPECT_TRUE(Describe(c).freed);
}

TEST_F(HeapTest, NotRegisteredWithoutTheToken) {
  g_rt.current = t2;
  rc_self = t1;
  void *p = malloc(16);
  // Not in the live registry (the address may still be described as a block
  // an earlier test freed, so ask the registry itself).
  rc_variable v{};
  EXPECT_FALSE(rc_heap_describe(reinterpret_cast<uintptr_t>(p), &v));
  RunAs(t1);
  free(p);  // unregistered: just forwarded
}

// The interceptors called through pointers the compiler cannot see
// through: knowing malloc/free, it may drop a pair or move the fake's
// counters across the call.
void *(*volatile g_malloc)(size_t) = malloc;
void *(*volatile g_realloc)(void *, size_t) = realloc;
void (*volatile g_free)(void *) = free;

// Whether rc_sync_free_range was called with exactly [addr, addr + size)
// since the counter was last reset.
bool SyncFreedRange(const void *addr, size_t size) {
  uint32_t n = rc_fake_n_freed_sync_ranges < RC_FAKE_MAX_FREED_RANGES ? rc_fake_n_freed_sync_ranges
                                                                      : RC_FAKE_MAX_FREED_RANGES;
  for (uint32_t i = 0; i < n; i++)
    if (rc_fake_freed_sync_ranges[i][0] == reinterpret_cast<uintptr_t>(addr) &&
        rc_fake_freed_sync_ranges[i][1] == size)
      return true;
  return false;
}

TEST_F(HeapTest, ReleasedMemoryForgetsItsSyncObjects) {
  // A mutex inside freed (or realloc-trimmed) heap memory must not keep its
  // state and name for the next object allocated there.
  RunAs(t1);
  void *p = g_malloc(48);
  rc_fake_n_freed_sync_ranges = 0;
  g_free(p);
  EXPECT_TRUE(SyncFreedRange(p, 48));

  auto *q = static_cast<char *>(g_malloc(256));
  rc_fake_n_freed_sync_ranges = 0;
  auto *r = static_cast<char *>(g_realloc(q, 64));
  if (r == q)
    EXPECT_TRUE(SyncFreedRange(q + 64, 192));  // the cut tail
  else
    EXPECT_TRUE(SyncFreedRange(q, 256));
  rc_fake_n_freed_sync_ranges = 0;
  auto *moved = static_cast<char *>(g_realloc(r, 1 << 16));  // surely moves
  ASSERT_NE(moved, r);
  EXPECT_TRUE(SyncFreedRange(r, 64));
  rc_fake_n_freed_sync_ranges = 0;
  EXPECT_EQ(g_realloc(moved, 0), nullptr);
  EXPECT_TRUE(SyncFreedRange(moved, 1 << 16));

  // Allocated without the token (not registered), freed with it: libc's
  // size of the block is forgotten.
  g_rt.current = t2;
  void *unregistered = g_malloc(100);
  RunAs(t1);
  size_t usable = malloc_usable_size(unregistered);
  rc_fake_n_freed_sync_ranges = 0;
  g_free(unregistered);
  EXPECT_TRUE(SyncFreedRange(unregistered, usable));
}

TEST_F(HeapTest, ReallocInPlaceAndMoving) {
  RunAs(t1);
  auto *p = static_cast<char *>(malloc(64));
  memset(p, 1, 64);
  auto *q = static_cast<char *>(realloc(p, 32));
  EXPECT_EQ(Describe(q, 31).size, 32u);
  EXPECT_EQ(q[31], 1);
  auto *r = static_cast<char *>(realloc(q, 1 << 16));  // surely moves
  EXPECT_EQ(Describe(r, 5000).size, 1u << 16);
  EXPECT_EQ(r[0], 1);
  if (r != q) EXPECT_TRUE(Describe(q, 0).freed);
  EXPECT_EQ(realloc(r, 0), nullptr);
  EXPECT_TRUE(Describe(r, 0).freed);
  void *arr = reallocarray(nullptr, 4, 6);
  EXPECT_EQ(Describe(arr, 23).size, 24u);
  arr = reallocarray(arr, 10, 6);
  EXPECT_EQ(Describe(arr, 59).size, 60u);
  EXPECT_EQ(reallocarray(arr, SIZE_MAX / 2, 3), nullptr);  // overflow
  EXPECT_EQ(errno, ENOMEM);
  free(arr);
  auto *fresh = static_cast<char *>(realloc(nullptr, 8));
  EXPECT_EQ(Describe(fresh, 7).size, 8u);
  free(fresh);
}

TEST_F(HeapTest, RaceOnHeapBlockIsDescribed) {
  RunAs(t1);
  const rc_site *alloc = NewSite("h.c", "alloc_fn", 20);
  __racecheck_call_site = alloc;
  auto *p = static_cast<char *>(malloc(32));
  rc_shadow_access(t1, reinterpret_cast<uintptr_t>(p) + 8, 4, true, false, NewSite("h.c", "w", 21));
  RunAs(t2);
  rc_shadow_access(t2, reinterpret_cast<uintptr_t>(p) + 8, 4, true, false, NewSite("h.c", "w", 22));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->variable.kind, RC_VAR_HEAP);
  EXPECT_EQ(f[0]->variable.offset, 8u);
  EXPECT_EQ(f[0]->variable.site, alloc);
  Synchronize(t2, t1);
  RunAs(t1);
  free(p);
}

TEST_F(HeapTest, FreeRacesWithAnUnorderedAccess) {
  RunAs(t1);
  auto *p = static_cast<char *>(malloc(16));
  Synchronize(t1, t2);  // t2 sees the allocation...
  RunAs(t2);
  rc_shadow_access(t2, reinterpret_cast<uintptr_t>(p) + 4, 4, false, false,
                   NewSite("h.c", "reader", 30));
  RunAs(t1);  // ...but the free is not ordered after t2's read
  __racecheck_call_site = NewSite("h.c", "freer", 31);
  free(p);
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0]->accesses[0].write);
  EXPECT_EQ(f[0]->accesses[0].site->line, 31u);
  EXPECT_EQ(f[0]->variable.kind, RC_VAR_HEAP);  // described before release
}

TEST_F(HeapTest, RecycledAddressCarriesNoHistory) {
  // A block allocated before the runtime took over is unknown to the
  // registry, so its free is not seen; the next registered malloc of the same
  // address must still start from a clean shadow.
  void *p = malloc(24);  // no token: unregistered
  RunAs(t1);
  rc_shadow_access(t1, reinterpret_cast<uintptr_t>(p), 24, true, false, NewSite("h.c", "w", 40));
  free(p);  // unregistered: shadow untouched
  RunAs(t2);
  void *q = malloc(24);
  ASSERT_EQ(q, p);  // glibc's per-thread cache hands the same chunk back
  rc_shadow_access(t2, reinterpret_cast<uintptr_t>(q), 24, true, false, NewSite("h.c", "w", 41));
  EXPECT_TRUE(Findings().empty());
  free(q);
}

TEST_F(HeapTest, UnorderedAccessAfterFreeRacesWithTheFree) {
  RunAs(t1);
  const rc_site *alloc = NewSite("h.c", "alloc_fn", 42);
  __racecheck_call_site = alloc;
  auto *p = static_cast<char *>(malloc(24));
  rc_shadow_access(t1, reinterpret_cast<uintptr_t>(p), 24, true, false, NewSite("h.c", "w", 43));
  Synchronize(t1, t2);  // t2 sees the block and the writes...
  RunAs(t1);
  const rc_site *free_call = NewSite("h.c", "alloc_fn", 44);
  __racecheck_call_site = free_call;
  free(p);  // ...but not the free
  RunAs(t2);
  rc_shadow_access(t2, reinterpret_cast<uintptr_t>(p) + 8, 8, false, false,
                   NewSite("h.c", "late_reader", 45));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0]->accesses[0].write);
  EXPECT_EQ(f[0]->accesses[1].tid, 1u);
  EXPECT_TRUE(f[0]->accesses[1].write);
  EXPECT_EQ(f[0]->accesses[1].site, free_call);  // the free's mark
  EXPECT_EQ(f[0]->variable.kind, RC_VAR_HEAP);
  EXPECT_TRUE(f[0]->variable.freed);
  EXPECT_EQ(f[0]->variable.offset, 8u);
  EXPECT_EQ(f[0]->variable.size, 24u);
  EXPECT_EQ(f[0]->variable.site, alloc);
  EXPECT_EQ(f[0]->variable.free_site, free_call);
  EXPECT_EQ(f[0]->variable.free_tid, 1u);
}

TEST_F(HeapTest, AccessOrderedAfterTheFreeIsNotARace) {
  RunAs(t1);
  auto *p = static_cast<char *>(malloc(24));
  free(p);
  Synchronize(t1, t2);
  RunAs(t2);
  rc_shadow_access(t2, reinterpret_cast<uintptr_t>(p), 24, true, false, NewSite("h.c", "w", 46));
  EXPECT_TRUE(Findings().empty());
}

TEST_F(HeapTest, ReallocationByAnotherThreadClearsTheFreeMark) {
  // Reuse of freed memory through the allocator is not a race: the new
  // block starts with no history (none_free_then_malloc.c end to end).
  RunAs(t1);
  void *p = malloc(48);
  free(p);
  RunAs(t2);
  void *q = malloc(48);
  ASSERT_EQ(q, p);  // glibc's per-thread cache hands the same chunk back
  rc_shadow_access(t2, reinterpret_cast<uintptr_t>(q), 48, true, false, NewSite("h.c", "w", 47));
  EXPECT_TRUE(Findings().empty());
  EXPECT_FALSE(Describe(q).freed);
  free(q);
}

TEST_F(HeapTest, AllocationWithoutTheTokenClearsTheFreeMarkToo) {
  RunAs(t1);
  void *p = malloc(48);
  free(p);
  g_rt.current = t1;  // t2 allocates while another thread holds the token
  rc_self = t2;
  void *q = malloc(48);
  ASSERT_EQ(q, p);
  RunAs(t2);
  rc_shadow_access(t2, reinterpret_cast<uintptr_t>(q), 48, true, false, NewSite("h.c", "w", 48));
  EXPECT_TRUE(Findings().empty());
}

TEST_F(HeapTest, BigBlockKeepsTheFreeMarkOnlyOnItsHead) {
  const size_t size = 1 << 16;
  RunAs(t1);
  auto *p = static_cast<char *>(malloc(size));
  free(p);
  RunAs(t2);
  uintptr_t base = reinterpret_cast<uintptr_t>(p);
  rc_shadow_access(t2, base + size - 8, 8, false, false, NewSite("h.c", "r", 49));
  EXPECT_TRUE(Findings().empty());  // past the first 4 KiB: cleared
  rc_shadow_access(t2, base + 4088, 8, false, false, NewSite("h.c", "r", 50));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0]->variable.freed);
  EXPECT_EQ(f[0]->variable.offset, 4088u);
}

TEST_F(HeapTest, BlockUnmappedByTheFreeKeepsNoMark) {
  // glibc serves this size with its own mmap and unmaps it on free; the
  // addresses may come back from a plain mmap the runtime never sees.
  const size_t size = 4 << 20;
  RunAs(t1);
  auto *p = static_cast<char *>(malloc(size));
  free(p);
  RunAs(t2);
  rc_shadow_access(t2, reinterpret_cast<uintptr_t>(p), 8, true, false, NewSite("h.c", "w", 52));
  EXPECT_TRUE(Findings().empty());
  EXPECT_NE(Describe(p).kind, RC_VAR_HEAP);  // nor is it a freed heap block
}

TEST_F(HeapTest, FreedHistoryIsBoundedAndNewestFirst) {
  RunAs(t1);
  // Free the same chunk twice (reused in between): the newest free wins.
  void *p = malloc(32);
  free(p);
  void *q = malloc(32);
  ASSERT_EQ(q, p);
  const rc_site *second_free = NewSite("h.c", "alloc_fn", 51);
  __racecheck_call_site = second_free;
  free(q);
  EXPECT_EQ(Describe(q).free_site, second_free);
  // After 1024 newer frees elsewhere the block is forgotten.
  std::vector<void *> others;
  for (int i = 0; i < 1024; i++) others.push_back(malloc(64));
  for (void *o : others) free(o);
  rc_variable v = Describe(q);
  EXPECT_FALSE(v.kind == RC_VAR_HEAP && v.free_site == second_free);
}

}  // namespace
}  // namespace racecheck
