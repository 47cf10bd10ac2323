// shadow_test.cpp — shadow cells and the race check (shadow.c): every state
// transition the detector relies on, with threads and clocks built by hand.
#include "test_support.h"

extern "C" {
#include "detect/shadow.h"
}

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

namespace racecheck {
namespace {

class ShadowTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    t0 = NewThread(0, UINT32_MAX);
    t1 = NewThread(1, 0);
    t2 = NewThread(2, 0);
    mem = FreshMemory(256);
  }
  void Write(rc_thread *t, uintptr_t addr, uint32_t size, const rc_site *site,
             bool atomic = false) {
    RunAs(t);
    rc_shadow_access(t, addr, size, true, atomic, site);
  }
  void Read(rc_thread *t, uintptr_t addr, uint32_t size, const rc_site *site, bool atomic = false) {
    RunAs(t);
    rc_shadow_access(t, addr, size, false, atomic, site);
  }
  const rc_site *Site(unsigned line) { return NewSite("shadow.c", "fn", line); }
  // The line of each finding's earlier access, in report order.
  std::vector<unsigned> EarlierLines() {
    std::vector<unsigned> out;
    for (const rc_finding *f : Findings()) out.push_back(f->accesses[1].site->line);
    return out;
  }

  rc_thread *t0, *t1, *t2;
  uintptr_t mem;
};

TEST_F(ShadowTest, WriteWriteRaceReportsBothAccesses) {
  const rc_site *a = Site(1), *b = Site(2);
  t1->current_stack = 5;  // any ids: copied into the finding as they are
  t1->lockset = 0;
  Write(t1, mem, 4, a);
  t2->current_stack = 6;
  Write(t2, mem, 4, b);
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->kind, RC_FINDING_DATA_RACE);
  const rc_access &cur = f[0]->accesses[0], &prev = f[0]->accesses[1];
  EXPECT_EQ(cur.tid, 2u);
  EXPECT_EQ(cur.site, b);
  EXPECT_TRUE(cur.write);
  EXPECT_EQ(cur.size, 4u);
  EXPECT_EQ(cur.stack, 6u);
  EXPECT_EQ(prev.tid, 1u);
  EXPECT_EQ(prev.site, a);
  EXPECT_TRUE(prev.write);
  EXPECT_EQ(prev.size, 4u);
  EXPECT_EQ(prev.stack, 5u);
  EXPECT_EQ(f[0]->variable.kind, RC_VAR_UNKNOWN);
}

TEST_F(ShadowTest, ReadWriteRaceInBothOrders) {
  Read(t1, mem, 8, Site(1));
  Write(t2, mem, 8, Site(2));
  Write(t1, mem + 16, 8, Site(3));
  Read(t2, mem + 16, 8, Site(4));
  auto f = Findings();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_FALSE(f[0]->accesses[1].write);
  EXPECT_TRUE(f[0]->accesses[0].write);
  EXPECT_TRUE(f[1]->accesses[1].write);
  EXPECT_FALSE(f[1]->accesses[0].write);
}

TEST_F(ShadowTest, ReadReadIsNoRace) {
  Read(t1, mem, 4, Site(1));
  Read(t2, mem, 4, Site(2));
  Read(t0, mem, 4, Site(3));
  EXPECT_TRUE(Findings().empty());
}

TEST_F(ShadowTest, HappensBeforeOrderedAccessesAreNoRace) {
  Write(t1, mem, 4, Site(1));
  Synchronize(t1, t2);
  Write(t2, mem, 4, Site(2));
  Read(t2, mem + 8, 4, Site(3));
  EXPECT_TRUE(Findings().empty());
  // ...but later accesses of t1 (after its release) are concurrent with
  // t2's: two distinct site pairs.
  Write(t1, mem, 4, Site(4));
  Write(t1, mem + 8, 4, Site(5));
  EXPECT_EQ(Findings().size(), 2u);
}

TEST_F(ShadowTest, SameEpochAccessIsReportedAtTheFirstSite) {
  // As in TSan: a read covered by a write of the same thread in the same
  // epoch adds nothing the write does not find, so the race is reported
  // against the write (the first access of the epoch).
  Write(t2, mem, 4, Site(1));
  Read(t2, mem, 4, Site(2));
  Write(t1, mem, 4, Site(3));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].site->line, 1u);
  // After a release (a new epoch) the read is recorded by itself.
  Write(t2, mem + 16, 4, Site(4));
  Synchronize(t2, t0);
  Read(t2, mem + 16, 4, Site(5));
  Write(t1, mem + 16, 4, Site(6));
  f = Findings();
  ASSERT_EQ(f.size(), 3u);  // against the write and against the read
  EXPECT_EQ(f[1]->accesses[1].site->line + f[2]->accesses[1].site->line, 9u);
}

TEST_F(ShadowTest, SameThreadNeverRaces) {
  Write(t1, mem, 8, Site(1));
  Read(t1, mem, 8, Site(2));
  Write(t1, mem + 2, 2, Site(3));
  EXPECT_TRUE(Findings().empty());
}

TEST_F(ShadowTest, DisjointBytesOfOneGranuleDoNotRace) {
  Write(t1, mem, 4, Site(1));
  Write(t2, mem + 4, 4, Site(2));
  Write(t0, mem + 4, 1, Site(3));  // overlaps t2's bytes only
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].tid, 2u);
}

TEST_F(ShadowTest, AccessCrossingAGranuleBoundaryChecksBothGranules) {
  Write(t1, mem + 4, 8, Site(1));  // bytes 4..11: two granules
  Read(t2, mem + 12, 4, Site(2));  // beyond the write: no race
  EXPECT_TRUE(Findings().empty());
  Read(t2, mem + 9, 1, Site(3));  // second granule of the write
  EXPECT_EQ(Findings().size(), 1u);
  Read(t0, mem + 5, 1, Site(4));  // first granule of the write
  EXPECT_EQ(Findings().size(), 2u);
}

TEST_F(ShadowTest, RangeAccessOverManyGranules) {
  Write(t1, mem, 200, Site(1));
  Read(t2, mem + 199, 1, Site(2));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].size, 200u);  // the whole earlier access
  EXPECT_EQ(f[0]->accesses[0].size, 1u);
}

TEST_F(ShadowTest, ReportedSizeIsTheAccessSizeNotTheBytesLeftInTheCell) {
  // A 4-byte atomic whose first bytes were later cleared (or overwritten by
  // a narrower access) still reports its own size.
  Write(t1, mem, 4, Site(1), /*atomic=*/true);
  rc_shadow_clear(mem, 3);
  Read(t2, mem + 3, 1, Site(2));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].size, 4u);
  EXPECT_EQ(f[0]->accesses[0].size, 1u);
}

TEST_F(ShadowTest, AtomicAgainstAtomicIsNoRace) {
  Write(t1, mem, 8, Site(1), /*atomic=*/true);
  Write(t2, mem, 8, Site(2), /*atomic=*/true);
  Read(t0, mem, 8, Site(3), /*atomic=*/true);
  EXPECT_TRUE(Findings().empty());
}

TEST_F(ShadowTest, AtomicAgainstPlainIsARace) {
  Write(t1, mem, 8, Site(1), /*atomic=*/true);
  Read(t2, mem, 8, Site(2));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0]->accesses[1].atomic);
  EXPECT_FALSE(f[0]->accesses[0].atomic);
  Write(t2, mem + 16, 4, Site(3));
  Read(t1, mem + 16, 4, Site(4), /*atomic=*/true);
  EXPECT_EQ(Findings().size(), 2u);
}

TEST_F(ShadowTest, ClearForgetsHistory) {
  Write(t1, mem, 64, Site(1));
  rc_shadow_clear(mem, 64);
  Write(t2, mem, 64, Site(2));
  EXPECT_TRUE(Findings().empty());
}

TEST_F(ShadowTest, ClearIsBytePrecise) {
  Write(t1, mem, 8, Site(1));
  rc_shadow_clear(mem + 1, 3);  // bytes 1..3 forgotten
  Write(t2, mem + 1, 3, Site(2));
  EXPECT_TRUE(Findings().empty());
  Write(t2, mem + 5, 1, Site(3));  // byte 5 still remembered
  EXPECT_EQ(Findings().size(), 1u);
  // Unaligned clear spanning granules keeps the bytes just outside it.
  Write(t1, mem + 32, 32, Site(4));
  rc_shadow_clear(mem + 35, 22);  // bytes 35..56
  Write(t2, mem + 35, 22, Site(5));
  EXPECT_EQ(Findings().size(), 1u);
  Write(t2, mem + 34, 1, Site(6));
  Write(t2, mem + 57, 1, Site(7));
  EXPECT_EQ(Findings().size(), 3u);
}

TEST_F(ShadowTest, ClearOfLargeRangeUsesWholePages) {
  uintptr_t big = FreshMemory(1 << 20);
  Write(t1, big, 1 << 20, Site(1));
  rc_shadow_clear(big + 3, (1 << 20) - 6);
  Write(t2, big + 8, (1 << 20) - 16, Site(2));
  EXPECT_TRUE(Findings().empty());
  Write(t2, big + 2, 1, Site(3));
  EXPECT_EQ(Findings().size(), 1u);
  Write(t2, big + (1 << 20) - 1, 1, Site(4));
  ASSERT_EQ(Findings().size(), 2u);
  // The kept edges still have their report context (the dropped pages are
  // only those of whole cleared granules).
  for (const rc_finding *f : Findings()) {
    EXPECT_EQ(f->accesses[1].site->line, 1u);
    EXPECT_EQ(f->accesses[1].size, 1u << 20);
  }
}

TEST_F(ShadowTest, EachSitePairIsReportedOnce) {
  const rc_site *a = Site(1), *b = Site(2);
  Write(t1, mem, 4, a);
  Write(t2, mem, 4, b);
  Write(t1, mem + 32, 4, a);
  Write(t2, mem + 32, 4, b);
  Write(t2, mem + 64, 4, b);  // reversed roles: still the same pair
  Write(t1, mem + 64, 4, a);
  EXPECT_EQ(Findings().size(), 1u);
  Write(t0, mem + 96, 4, a);  // same site a, but a new partner site
  Write(t2, mem + 96, 4, Site(3));
  EXPECT_EQ(Findings().size(), 2u);
}

TEST_F(ShadowTest, LaterReadDoesNotHideEarlierWriteOfSameThread) {
  Write(t1, mem, 4, Site(1));
  Read(t1, mem, 4, Site(2));  // must not replace the write
  Read(t2, mem, 4, Site(3));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].site->line, 1u);
}

TEST_F(ShadowTest, OrderedWriteSupersedesAndStillCatchesLaterRaces) {
  // FastTrack's write rule: t2's ordered write replaces t1's cell; a third
  // thread concurrent with both is reported against t2's write.
  Write(t1, mem, 4, Site(1));
  Synchronize(t1, t2);
  Write(t2, mem, 4, Site(2));
  Read(t0, mem, 4, Site(3));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].tid, 2u);
}

TEST_F(ShadowTest, RepeatedAccessesDoNotFillTheGranule) {
  // The same thread re-reading its bytes reuses its cell, so the reads of
  // three other threads all stay and a late writer races with every one.
  for (int i = 0; i < 10; i++) Read(t0, mem, 8, Site(100));
  rc_thread *t3 = NewThread(3, 0);
  Read(t1, mem, 8, Site(1));
  Read(t2, mem, 8, Site(2));
  Read(t3, mem, 8, Site(3));
  rc_thread *t4 = NewThread(4, 0);
  Write(t4, mem, 8, Site(4));
  EXPECT_EQ(Findings().size(), 4u);
}

TEST_F(ShadowTest, EvictionWhenAllCellsAreBusyIsDeterministic) {
  // Five readers of one granule: only four cells, so one is evicted and the
  // writer races with exactly four of them.
  std::vector<rc_thread *> readers;
  for (rc_tid i = 10; i < 15; i++) readers.push_back(NewThread(i, 0));
  for (size_t i = 0; i < readers.size(); i++)
    Read(readers[i], mem, 8, Site(static_cast<unsigned>(10 + i)));
  rc_thread *writer = NewThread(20, 0);
  Write(writer, mem, 8, Site(30));
  EXPECT_EQ(Findings().size(), 4u);
  // The newest reader always survives eviction.
  bool newest_reported = false;
  for (const rc_finding *f : Findings()) newest_reported |= f->accesses[1].tid == 14;
  EXPECT_TRUE(newest_reported);
}

TEST_F(ShadowTest, RepeatedIdenticalAccessKeepsItsRacesVisible) {
  const rc_site *a = Site(1);
  Write(t1, mem, 8, a);
  Write(t1, mem, 8, a);  // same epoch, same access: nothing new to record
  Read(t1, mem, 4, a);   // weaker and covered: also nothing new
  Read(t2, mem + 4, 4, Site(2));
  ASSERT_EQ(Findings().size(), 1u);
  EXPECT_EQ(Findings()[0]->accesses[1].site, a);
  EXPECT_TRUE(Findings()[0]->accesses[1].write);
  // A lock taken since then does not start a new epoch (only a release
  // does): the report keeps the first access, made without it.
  t1->lockset = rc_lockset_with(0, 3);
  Write(t1, mem, 8, a);
  Read(t0, mem, 8, Site(3));
  ASSERT_EQ(Findings().size(), 2u);
  EXPECT_EQ(Findings()[1]->accesses[1].lockset, 0u);
  // In the next epoch the access under the lock is recorded with it.
  Synchronize(t1, t2);
  Write(t1, mem, 8, a);
  Read(t2, mem, 8, Site(4));
  ASSERT_EQ(Findings().size(), 3u);
  EXPECT_EQ(Findings()[2]->accesses[1].lockset, t1->lockset);
}

TEST_F(ShadowTest, ByteLoopOfOneSiteSharesOneCell) {
  // Eight 1-byte writes of one site in one epoch widen one cell instead of
  // filling (and evicting from) the granule: the reads of three other
  // threads stay, and a late writer races with all four.
  const rc_site *loop = Site(1);
  for (int i = 0; i < 8; i++) Write(t1, mem + static_cast<uintptr_t>(i), 1, loop);
  Synchronize(t1, t0);
  Synchronize(t1, t2);
  rc_thread *t3 = NewThread(3, 0);
  Synchronize(t1, t3);
  Read(t0, mem, 8, Site(2));
  Read(t2, mem, 8, Site(3));
  Read(t3, mem, 8, Site(4));
  EXPECT_TRUE(Findings().empty());
  rc_thread *t4 = NewThread(4, 0);
  Write(t4, mem + 7, 1, Site(5));
  auto f = Findings();
  ASSERT_EQ(f.size(), 4u);
  // The widened cell still says where, what and how big the access was.
  bool loop_reported = false;
  for (const rc_finding *x : f)
    if (x->accesses[1].site == loop) {
      loop_reported = true;
      EXPECT_EQ(x->accesses[1].size, 1u);
      EXPECT_TRUE(x->accesses[1].write);
      EXPECT_EQ(x->accesses[1].tid, 1u);
    }
  EXPECT_TRUE(loop_reported);
}

TEST_F(ShadowTest, ByteLoopThroughAnotherThreadsByteStillRaces) {
  // The widening shortcut for the next byte of a byte loop must not skip a
  // cell of another thread on that byte.
  const rc_site *loop = Site(1), *other = Site(2);
  Write(t2, mem + 5, 1, other);
  for (int i = 0; i < 8; i++) Write(t1, mem + static_cast<uintptr_t>(i), 1, loop);
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[0].site, loop);
  EXPECT_EQ(f[0]->accesses[1].site, other);
  EXPECT_EQ(f[0]->accesses[1].tid, 2u);
}

TEST_F(ShadowTest, ByteLoopWidensOnlyWhileSiteStackAndEpochStayTheSame) {
  // Bytes 0-1 at one site and stack, byte 2 from another stack, byte 3 at
  // another site, byte 4 after a release (new epoch): a race on each of
  // bytes 2-4 names that byte's own access.
  const rc_site *a = Site(1), *b = Site(2);
  t1->current_stack = 5;
  Write(t1, mem, 1, a);
  Write(t1, mem + 1, 1, a);
  t1->current_stack = 6;
  Write(t1, mem + 2, 1, a);
  Write(t1, mem + 3, 1, b);
  Synchronize(t1, t0);  // a release: t1's epoch ticks
  Write(t1, mem + 4, 1, b);
  Read(t2, mem + 2, 1, Site(3));
  Read(t2, mem + 3, 1, Site(4));
  Read(t2, mem + 4, 1, Site(5));
  auto f = Findings();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0]->accesses[1].site, a);
  EXPECT_EQ(f[0]->accesses[1].stack, 6u);
  EXPECT_EQ(f[1]->accesses[1].site, b);
  EXPECT_EQ(f[2]->accesses[1].site, b);
  EXPECT_EQ(f[2]->accesses[0].site->line, 5u);
}

TEST_F(ShadowTest, DifferentSitesOnDifferentBytesKeepTheirOwnCells) {
  // Two fields of one granule written by different sites: a race on the
  // second names the second site, not the first.
  Write(t1, mem, 1, Site(1));
  Write(t1, mem + 1, 1, Site(2));
  Read(t2, mem + 1, 1, Site(3));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].site->line, 2u);
}

TEST_F(ShadowTest, FindingRecordsLocksetOfBothAccesses) {
  t1->lockset = rc_lockset_with(0, 1);
  t2->lockset = rc_lockset_with(0, 2);
  Write(t1, mem, 4, Site(1));
  Write(t2, mem, 4, Site(2));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[0].lockset, t2->lockset);
  EXPECT_EQ(f[0]->accesses[1].lockset, t1->lockset);
}

TEST_F(ShadowTest, AddressesOutsideUserSpaceAreIgnored) {
  Write(t1, uintptr_t{1} << 62, 8, Site(1));
  Write(t2, uintptr_t{1} << 62, 8, Site(2));
  rc_shadow_clear(uintptr_t{1} << 62, 64);
  EXPECT_TRUE(Findings().empty());
}

// ---- blocks: a whole-block access keeps a block's cells once (shadow.h) ----

// Aligned memory (to a block, or a super-block), so the boundaries are known.
uintptr_t AlignedMemory(size_t size, uintptr_t align = 64) {
  uintptr_t p = FreshMemory(size + align);
  return (p + align - 1) & ~(align - 1);
}

TEST_F(ShadowTest, PartialAccessToACoarseBlockFindsTheWholeBlockAccess) {
  uintptr_t m = AlignedMemory(256);
  rc_shadow_access_span(t1, m, 256, 8, true, Site(1));  // four coarse blocks
  Read(t2, m + 64 + 13, 1, Site(2));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].site->line, 1u);
  EXPECT_EQ(f[0]->accesses[1].size, 8u);
  EXPECT_TRUE(f[0]->accesses[1].write);
  // The split block kept the write in its other granules too.
  Read(t0, m + 64 + 60, 4, Site(3));
  EXPECT_EQ(Findings().size(), 2u);
}

TEST_F(ShadowTest, WholeBlockAccessToACoarseBlockFindsTheEarlierOne) {
  uintptr_t m = AlignedMemory(256);
  Write(t1, m, 256, Site(1));
  Write(t2, m + 128, 64, Site(2));
  ASSERT_EQ(Findings().size(), 1u);
  EXPECT_EQ(Findings()[0]->accesses[1].size, 256u);
  // Ordered after t1, t0's whole-block write supersedes both cells of the
  // block but still races with t2's.
  Synchronize(t1, t0);
  Write(t0, m + 128, 64, Site(3));
  auto f = Findings();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[1]->accesses[1].tid, 2u);
}

TEST_F(ShadowTest, SameEpochPartialAccessLeavesACoarseBlockAlone) {
  uintptr_t m = AlignedMemory(64);
  Write(t1, m, 64, Site(1));
  Read(t1, m + 8, 8, Site(2));  // covered by the write, same epoch
  rc_shadow_access_strided(t1, m, 4, 16, 8, false, Site(3));
  Read(t2, m + 9, 1, Site(4));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].site->line, 1u);  // the write, not the reads
}

TEST_F(ShadowTest, ClearingPartOfACoarseBlockKeepsTheRest) {
  uintptr_t m = AlignedMemory(128);
  Write(t1, m, 128, Site(1));
  rc_shadow_clear(m + 60, 10);  // ends of two coarse blocks
  Write(t2, m + 60, 10, Site(2));
  EXPECT_TRUE(Findings().empty());
  Write(t2, m + 59, 1, Site(3));
  Write(t2, m + 70, 1, Site(4));
  EXPECT_EQ(Findings().size(), 2u);
  rc_shadow_clear(m, 128);
  Write(t0, m, 128, Site(5));
  EXPECT_EQ(Findings().size(), 2u);
}

TEST_F(ShadowTest, FreeCheckSeesACoarseBlock) {
  uintptr_t m = AlignedMemory(128);
  Read(t1, m, 128, Site(1));
  rc_shadow_check_free(t2, m + 8, 16, 16, Site(2));  // part of a block
  rc_shadow_check_free(t2, m, 128, 128, Site(3));    // whole blocks
  EXPECT_EQ(Findings().size(), 2u);
}

TEST_F(ShadowTest, SuperBlocksKeepTheirHistoryThroughSplits) {
  uintptr_t m = AlignedMemory(2048, 512);
  Write(t1, m, 2048, Site(1));    // four coarse super-blocks
  Write(t1, m, 2048, Site(1));    // same epoch: nothing to do
  Synchronize(t1, t1);            // a new epoch of t1's own
  Read(t1, m, 2048, Site(2));     // its own older write: kept beside the read
  Read(t2, m + 600, 8, Site(3));  // inside the second super-block
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].site->line, 1u);
  EXPECT_EQ(f[0]->accesses[1].size, 2048u);
  // The split super-block still holds the write and the read in its other
  // blocks, and in the other granules of the split block: a write races
  // with both (two site pairs each time).
  Write(t0, m + 1000, 1, Site(4));
  Write(t0, m + 512 + 64 + 8, 1, Site(5));
  EXPECT_EQ(Findings().size(), 5u);
  // A strided row over a coarse super-block meets the write only.
  rc_shadow_access_strided(t2, m + 1536, 4, 32, 16, false, Site(6));
  EXPECT_EQ(Findings().size(), 6u);
  // A clear of part of two super-blocks forgets exactly its bytes.
  rc_shadow_clear(m + 1100, 300);
  Write(t0, m + 1100, 300, Site(7));
  EXPECT_EQ(Findings().size(), 6u);
  Write(t0, m + 1099, 1, Site(8));
  Write(t0, m + 1400, 1, Site(9));
  EXPECT_EQ(Findings().size(), 10u);
}

// The lines of the super-block / block at `addr` (shadow.h's chunk layout).
const unsigned char *SuperLine(uintptr_t addr) {
  const char *chunk = reinterpret_cast<const char *>(rc_shadow_directory[addr >> RC_CHUNK_SHIFT]);
  return reinterpret_cast<const unsigned char *>(chunk + RC_CHUNK_SUPERS_OFFSET +
                                                 ((addr & (RC_CHUNK_BYTES - 1)) >> RC_SUPER_SHIFT) *
                                                     RC_BLOCK_LINE);
}
const unsigned char *BlockLine(uintptr_t addr) {
  const char *chunk = reinterpret_cast<const char *>(rc_shadow_directory[addr >> RC_CHUNK_SHIFT]);
  return reinterpret_cast<const unsigned char *>(chunk + RC_CHUNK_BLOCKS_OFFSET +
                                                 ((addr & (RC_CHUNK_BYTES - 1)) >> RC_BLOCK_SHIFT) *
                                                     RC_BLOCK_LINE);
}
bool AllZero(const unsigned char *p, size_t n) {
  return std::all_of(p, p + n, [](unsigned char c) { return c == 0; });
}

// A sweep over memory with no history stores one super line per 512 bytes
// and leaves the block lines and granule cells untouched (never committed),
// and still finds a later unordered access anywhere in it.
TEST_F(ShadowTest, FreshSweepStoresOnlySuperLines) {
  uintptr_t m = AlignedMemory(4096, 512);
  Read(t1, m, 4096, Site(1));
  for (uintptr_t a = m; a < m + 4096; a += RC_SUPER) {
    EXPECT_EQ(SuperLine(a)[RC_SHADOW_CELLS * 12], 0xFF);  // members: all 8 blocks
    for (uintptr_t b = a; b < a + RC_SUPER; b += RC_BLOCK)
      EXPECT_TRUE(AllZero(BlockLine(b), RC_BLOCK_LINE));
    EXPECT_TRUE(AllZero(reinterpret_cast<const unsigned char *>(rc_shadow_lookup(a)),
                        (RC_SUPER / RC_GRANULE) * RC_SHADOW_CELLS * sizeof(rc_shadow_cell)));
  }
  Write(t2, m + 1000, 2, Site(2));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].site->line, 1u);
  EXPECT_EQ(f[0]->accesses[1].size, 4096u);
  // Memory with history in one granule is swept block by block as before.
  uintptr_t n = AlignedMemory(1024, 512);
  Read(t1, n + 8, 8, Site(3));
  Read(t1, n, 1024, Site(4));
  EXPECT_EQ(SuperLine(n)[RC_SHADOW_CELLS * 12], 0);                // block 0 is not coarse,
  EXPECT_EQ(BlockLine(n + RC_BLOCK)[RC_SHADOW_CELLS * 12], 0xFF);  // the others are
  Write(t2, n + 8, 1, Site(5));
  EXPECT_EQ(Findings().size(), 2u);  // with the first read of the epoch there
}

// A grid row that starts 24 bytes into a super-block: its whole blocks
// there become the super-block's members, checked through the super line,
// while the first and last blocks, shared with other data, keep their own.
TEST_F(ShadowTest, SuperBlockMembersBesideSharedBlocks) {
  uintptr_t m = AlignedMemory(2048, 512);
  Write(t0, m, 16, Site(1));  // the end of the row before, another thread's
  Synchronize(t0, t1);
  Synchronize(t0, t2);
  for (int sweep = 0; sweep < 3; sweep++) {
    rc_shadow_access_span(t1, m + 24, 984, 8, true, Site(2));  // to m + 1008
    Synchronize(t1, t1);  // a new epoch of t1's own, as after a barrier
  }
  // Only two members of the first super-block: it splits.
  rc_shadow_access_span(t1, m + 128, 128, 8, true, Site(3));
  // The row as a read from m + 16, 8 bytes before it, and a strided read
  // that runs on past the row's end: none of them races.
  rc_shadow_access_span(t1, m + 16, 984, 8, false, Site(4));  // to m + 1000
  Read(t1, m + 8, 8, Site(5));
  rc_shadow_access_strided(t1, m + 32, 32, 32, 16, false, Site(6));
  EXPECT_TRUE(Findings().empty());
  // Another thread, unordered with t1, meets the write of the row in its
  // blocks of each super-block, and the later write where it was.
  Read(t2, m + 300, 8, Site(7));
  Read(t2, m + 64, 8, Site(8));
  Read(t2, m + 512 + 64, 8, Site(9));
  Read(t2, m + 200, 8, Site(10));
  EXPECT_EQ(EarlierLines(), (std::vector<unsigned>{2, 2, 2, 3}));
  // The shared blocks: what t1 read there (t0's bytes are ordered before
  // t2, and the last 8 bytes no one touched).
  Write(t2, m + 16, 8, Site(11));
  Write(t2, m + 8, 8, Site(12));
  Write(t2, m + 1000, 8, Site(13));
  Write(t2, m, 8, Site(14));
  Write(t2, m + 1040, 8, Site(15));
  EXPECT_EQ(EarlierLines(), (std::vector<unsigned>{2, 2, 2, 3, 4, 5, 2, 6}));
}

// The same one level down: the granules of a block that a row covers
// wholly become the block line's members; the others keep their own cells.
TEST_F(ShadowTest, BlockMembersBesideSharedGranules) {
  uintptr_t m = AlignedMemory(256);
  Write(t0, m, 8, Site(1));
  Synchronize(t0, t1);
  Synchronize(t0, t2);
  for (int sweep = 0; sweep < 3; sweep++) {
    rc_shadow_access_span(t1, m + 24, 80, 8, true, Site(2));  // to m + 104
    Synchronize(t1, t1);
  }
  rc_shadow_access_span(t1, m + 48, 8, 8, true, Site(3));    // one member
  rc_shadow_access_span(t1, m + 16, 80, 8, false, Site(4));  // to m + 96
  rc_shadow_access_strided(t1, m + 96, 2, 16, 8, false, Site(5));
  EXPECT_TRUE(Findings().empty());
  Read(t2, m + 40, 8, Site(6));
  Read(t2, m + 48, 8, Site(7));
  Read(t2, m + 72, 8, Site(8));
  Write(t2, m + 16, 8, Site(9));
  Write(t2, m + 112, 8, Site(10));
  Write(t2, m + 8, 8, Site(11));
  Write(t2, m, 8, Site(12));
  Write(t2, m + 120, 8, Site(13));
  EXPECT_EQ(EarlierLines(), (std::vector<unsigned>{2, 3, 2, 4, 5}));
}

TEST_F(ShadowTest, StridedRowMarksOnlyItsElements) {
  uintptr_t m = AlignedMemory(256);
  // 16-byte elements every 32 bytes: bytes 0-15, 32-47, ... 224-239.
  rc_shadow_access_strided(t1, m, 8, 32, 16, true, Site(1));
  Write(t2, m + 16, 16, Site(2));
  Write(t2, m + 240, 16, Site(3));
  EXPECT_TRUE(Findings().empty());
  Write(t2, m + 232, 1, Site(4));
  auto f = Findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->accesses[1].size, 16u);
}

// The same random script, run with blocks (and super-blocks) and without,
// reports the same races. Granule-aligned accesses of two threads never need more than four
// cells (a write and a later read per thread), so eviction cannot make the
// two runs differ.
class ShadowBlocksTest : public ShadowTest {
 protected:
  static constexpr uint64_t kScriptBytes = 2048;  // four super-blocks
  void TearDown() override {
    rc_shadow_blocks_enabled = true;
    ShadowTest::TearDown();
  }
  std::vector<std::string> RunScript(uint64_t seed, bool blocks) {
    static unsigned runs;
    unsigned run = ++runs;
    rc_shadow_blocks_enabled = blocks;
    rc_thread *a = NewThread(1, 0), *b = NewThread(2, 0);
    rc_thread *threads[2] = {a, b};
    uintptr_t m = AlignedMemory(kScriptBytes, 512);
    size_t before = Findings().size();
    uint64_t state = seed;
    auto next = [&](uint64_t n) {  // SplitMix64
      uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      return (z ^ (z >> 31)) % n;
    };
    for (int step = 0; step < 200; step++) {
      unsigned who = static_cast<unsigned>(next(2));
      bool write = next(2);
      rc_thread *t = threads[who];
      // A position per access and script run, so that no race hides behind
      // an earlier report of the same pair of positions. Sites live as long
      // as the reported pairs.
      static std::deque<rc_site> sites;
      sites.push_back(
          rc_site{"blocks.c", "fn", static_cast<unsigned>(1000 * run + step + 1), 0, nullptr});
      const rc_site *site = &sites.back();
      uintptr_t at = m + 8 * next(kScriptBytes / 8);
      uint64_t room = (m + kScriptBytes - at) / 8;
      RunAs(t);
      switch (next(5)) {
        case 0: rc_shadow_access(t, at, 8, write, false, site); break;
        case 1: {
          // Long spans, and row-like ones of up to 96 granules, which leave
          // some blocks of a super-block coarse and others not.
          uint64_t most = next(2) ? room : std::min<uint64_t>(room, 96);
          rc_shadow_access_span(t, at, 8 * (1 + next(most)), 8, write, site);
          break;
        }
        case 2: {
          uint64_t stride = 8 * (2 + next(8));
          rc_shadow_access_strided(t, at, 1 + next(1 + (room * 8 - 8) / stride), stride, 8, write,
                                   site);
          break;
        }
        case 3: Synchronize(t, threads[1 - who]); break;
        default: rc_shadow_clear(at, 8 * (1 + next(room))); break;
      }
    }
    std::vector<std::string> out;
    auto all = Findings();
    for (size_t i = before; i < all.size(); i++) {
      const rc_access &x = all[i]->accesses[0], &y = all[i]->accesses[1];
      // The step of each access (its line without the run's thousands).
      out.push_back(std::to_string(x.tid) + (x.write ? "w" : "r") +
                    std::to_string(x.site->line % 1000) + "/" + std::to_string(y.tid) +
                    (y.write ? "w" : "r") + std::to_string(y.site->line % 1000));
    }
    return out;
  }
};

TEST_F(ShadowBlocksTest, BlocksReportWhatGranulesReport) {
  size_t races = 0;
  // RC_SHADOW_SCRIPT_SEEDS=first:count runs other scripts (a second per
  // 250); the test arena has room for about 1,400 per run.
  uint64_t first = 1, count = 200;
  if (const char *env = getenv("RC_SHADOW_SCRIPT_SEEDS")) sscanf(env, "%lu:%lu", &first, &count);
  for (uint64_t seed = first; seed < first + count; seed++) {
    auto fine = RunScript(seed, false);
    auto coarse = RunScript(seed, true);
    EXPECT_EQ(fine, coarse) << "seed " << seed;
    races += fine.size();
  }
  EXPECT_GT(races, 10 * count);  // the scripts do race
}

// The same header code in two modules (or a library loaded again) has a
// descriptor per copy: a pair of positions is reported once, whichever
// copies met; another column of the line is another position.
TEST_F(ShadowTest, APairOfPositionsIsReportedOnceWhateverItsDescriptors) {
  static const rc_site first_copy{"dup.h", "bump", 40, 7, nullptr};
  static const rc_site second_copy{"dup.h", "bump", 40, 7, nullptr};
  static const rc_site other_column{"dup.h", "bump", 40, 9, nullptr};
  Write(t1, mem, 4, &first_copy);
  Write(t2, mem, 4, &second_copy);
  EXPECT_EQ(Findings().size(), 1u);
  Write(t1, mem + 8, 4, &second_copy);
  Write(t2, mem + 8, 4, &first_copy);
  EXPECT_EQ(Findings().size(), 1u);
  Write(t1, mem + 16, 4, &other_column);
  Write(t2, mem + 16, 4, &first_copy);
  EXPECT_EQ(Findings().size(), 2u);
}

}  // namespace
}  // namespace racecheck
