// fingerprint_test.cpp — fingerprints depend on source facts only.
#include <gtest/gtest.h>

#include <algorithm>

#include "fingerprint.h"
#include "test_data.h"

namespace racecheck {
namespace {

TEST(Fingerprint, Fnv1aReferenceValues) {
  // Published FNV-1a 64 test vectors.
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ull);
}

TEST(Fingerprint, IsSixteenHexDigitsAndPinned) {
  Record r = test::load_fixture("counter.record");
  std::string fp = finding_fingerprint(r, r.findings[0]);
  ASSERT_EQ(fp.size(), 16u);
  EXPECT_TRUE(std::all_of(fp.begin(), fp.end(),
                          [](char c) { return std::isxdigit(c) && !std::isupper(c); }));
  // Pinned: a change here breaks every user's baseline of known findings.
  EXPECT_EQ(fp, finding_fingerprint(test::load_fixture("counter.record"), r.findings[0]));
  EXPECT_EQ(fp, "31c7b7e5dad29036") << "fingerprint changed: " << fp;
}

TEST(Fingerprint, IgnoresSeedIdsThreadsAndAccessOrder) {
  Record a = test::load_fixture("bank.record");
  Record b = a;
  b.meta.seed = 99;
  Finding &f = b.findings[0];
  std::swap(f.accesses[0], f.accesses[1]);
  f.accesses[0].role = AccessRole::Current;
  f.accesses[1].role = AccessRole::Previous;
  f.accesses[0].tid = 5;
  f.accesses[1].tid = 6;
  f.accesses[0].stack = 0;
  f.accesses[0].lockset = 0;
  EXPECT_EQ(finding_fingerprint(a, a.findings[0]), finding_fingerprint(b, f));
}

TEST(Fingerprint, DependsOnPositionsVariableAndKind) {
  Record a = test::load_fixture("bank.record");
  const std::string base = finding_fingerprint(a, a.findings[0]);

  Record moved = a;
  moved.sites.at(5).line = 16;
  EXPECT_NE(base, finding_fingerprint(moved, moved.findings[0]));

  Record other_field = a;
  other_field.findings[0].variable->field = "owner";
  EXPECT_NE(base, finding_fingerprint(other_field, other_field.findings[0]));

  Record other_kind = a;
  other_kind.findings[0].kind = FindingKind::Hang;
  EXPECT_NE(base, finding_fingerprint(other_kind, other_kind.findings[0]));
}

TEST(Fingerprint, DeadlockIgnoresWaiterOrder) {
  Record a = test::load_fixture("deadlock.record");
  Record b = a;
  std::swap(b.findings[0].waiters[0], b.findings[0].waiters[1]);
  EXPECT_EQ(finding_fingerprint(a, a.findings[0]), finding_fingerprint(b, b.findings[0]));
}

// The same starvation found by two schedules: other bypassers, other counts.
TEST(Fingerprint, StarvationIsTheStarvingThreadsWaitOnly) {
  Record a = test::load_fixture("starvation.record");
  const std::string base = finding_fingerprint(a, a.findings[0]);
  Record fewer = a;
  fewer.findings[0].waiters.pop_back();
  fewer.findings[0].counts[0].value = 150;
  fewer.findings[0].thread_stats.pop_back();
  EXPECT_EQ(base, finding_fingerprint(fewer, fewer.findings[0]));
  Record elsewhere = a;
  elsewhere.findings[0].waiters[0].site = 2;  // waits at another position
  EXPECT_NE(base, finding_fingerprint(elsewhere, elsewhere.findings[0]));
  Record other_resource = a;
  other_resource.findings[0].waiters[0].object = "rwlock `index_lock`";
  EXPECT_NE(base, finding_fingerprint(other_resource, other_resource.findings[0]));
}

// A misuse is its case at the offending call: not the holder's acquisition
// (another thread may hold the lock in another schedule).
TEST(Fingerprint, MisuseIsItsCaseAtTheOffendingCall) {
  Record r;
  r.sites[0] = Site{0, "/src/m.c", "worker", 12, 3, kNoId};
  r.sites[1] = Site{1, "/src/m.c", "main", 20, 3, kNoId};
  r.sites[2] = Site{2, "/src/m.c", "other", 30, 3, kNoId};
  Finding f;
  f.kind = FindingKind::Misuse;
  f.misuse_case = "unlock-other-thread";
  Waiter call, holder;
  call.tid = 1, call.operation = "mutex_unlock", call.site = 0;
  holder.tid = 0, holder.operation = "mutex_lock", holder.site = 1;
  f.waiters = {call, holder};
  const std::string base = finding_fingerprint(r, f);
  Finding other_holder = f;
  other_holder.waiters[1].site = 2;
  other_holder.waiters[1].tid = 2;
  EXPECT_EQ(base, finding_fingerprint(r, other_holder));
  Finding not_held = f;
  not_held.waiters.pop_back();
  not_held.misuse_case = "unlock-not-held";
  EXPECT_NE(base, finding_fingerprint(r, not_held));
  Finding elsewhere = f;
  elsewhere.waiters[0].site = 2;
  EXPECT_NE(base, finding_fingerprint(r, elsewhere));
}

}  // namespace
}  // namespace racecheck
