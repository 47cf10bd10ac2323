// history_test.cpp — the stack trie and lock-set interning (history.c).
#include <set>
#include <vector>

#include "test_support.h"

namespace racecheck {
namespace {

TEST(StackTrie, EmptyStackIsNodeZero) {
  const rc_stack_node *root = rc_stack_node_get(0);
  EXPECT_EQ(root->depth, 0u);
  EXPECT_EQ(root->function, nullptr);
}

TEST(StackTrie, PushInternsIdenticalFrames) {
  const rc_site *f = NewSite("a.c", "f", 1);
  const rc_site *g = NewSite("a.c", "g", 5);
  const rc_site *call1 = NewSite("a.c", "f", 2);
  const rc_site *call2 = NewSite("a.c", "f", 3);
  rc_stack_id s_f = rc_stack_push(0, f, nullptr);
  EXPECT_NE(s_f, 0u);
  EXPECT_EQ(rc_stack_push(0, f, nullptr), s_f);
  rc_stack_id s_fg1 = rc_stack_push(s_f, g, call1);
  rc_stack_id s_fg2 = rc_stack_push(s_f, g, call2);
  EXPECT_NE(s_fg1, s_fg2);  // same callee, different call site
  EXPECT_EQ(rc_stack_push(s_f, g, call1), s_fg1);
  const rc_stack_node *n = rc_stack_node_get(s_fg2);
  EXPECT_EQ(n->parent, s_f);
  EXPECT_EQ(n->depth, 2u);
  EXPECT_EQ(n->function, g);
  EXPECT_EQ(n->call_site, call2);
}

TEST(StackTrie, GrowsAcrossChunksWithStableNodes) {
  const rc_site *f = NewSite("deep.c", "recurse", 1);
  std::vector<const rc_site *> calls;
  for (unsigned i = 0; i < 3; i++) calls.push_back(NewSite("deep.c", "r", 10 + i));
  rc_stack_id s = 0;
  const rc_stack_node *first = nullptr;
  std::vector<rc_stack_id> ids;
  for (int i = 0; i < 10000; i++) {
    // Vary the call site to create many distinct nodes (a 10000-deep stack).
    s = rc_stack_push(s, f, calls[static_cast<size_t>(i) % 3]);
    ids.push_back(s);
    if (i == 0) first = rc_stack_node_get(s);
  }
  EXPECT_EQ(rc_stack_node_get(s)->depth, 10000u);
  EXPECT_EQ(rc_stack_node_get(ids[0]), first);  // pointers stay valid
  rc_stack_id again = 0;
  for (int i = 0; i < 10000; i++)
    again = rc_stack_push(again, f, calls[static_cast<size_t>(i) % 3]);
  EXPECT_EQ(again, s);
}

TEST(StackTrie, SiblingsAlternatingUnderOneParentKeepTheirIds) {
  // The cache in front of the index must match parent, function and call
  // site: siblings differing in only one of them stay distinct, in any
  // order, and the same call under another parent is another frame.
  const rc_site *parent_fn = NewSite("sib.c", "parent", 1);
  const rc_site *f = NewSite("sib.c", "f", 10);
  const rc_site *g = NewSite("sib.c", "g", 20);
  const rc_site *at1 = NewSite("sib.c", "parent", 2);
  const rc_site *at2 = NewSite("sib.c", "parent", 3);
  rc_stack_id p = rc_stack_push(0, parent_fn, nullptr);
  rc_stack_id f1 = rc_stack_push(p, f, at1);
  rc_stack_id f2 = rc_stack_push(p, f, at2);
  rc_stack_id g1 = rc_stack_push(p, g, at1);
  std::set<rc_stack_id> distinct{f1, f2, g1};
  EXPECT_EQ(distinct.size(), 3u);
  for (int round = 0; round < 3; round++) {
    EXPECT_EQ(rc_stack_push(p, f, at1), f1);
    EXPECT_EQ(rc_stack_push(p, f, at1), f1);
    EXPECT_EQ(rc_stack_push(p, g, at1), g1);
    EXPECT_EQ(rc_stack_push(p, f, at2), f2);
    EXPECT_EQ(rc_stack_push(p, f, at1), f1);
  }
  EXPECT_EQ(rc_stack_node_get(g1)->function, g);
  EXPECT_EQ(rc_stack_node_get(f2)->call_site, at2);
  rc_stack_id under_f1 = rc_stack_push(f1, f, at1);
  EXPECT_NE(under_f1, f1);
  EXPECT_EQ(rc_stack_node_get(under_f1)->parent, f1);
  EXPECT_EQ(rc_stack_push(p, f, at1), f1);
}

TEST(Lockset, WithAndWithoutAreHashConsed) {
  rc_lockset_id a = rc_lockset_with(0, 7);
  rc_lockset_id ab = rc_lockset_with(a, 3);
  rc_lockset_id b = rc_lockset_with(0, 3);
  rc_lockset_id ba = rc_lockset_with(b, 7);
  EXPECT_NE(a, 0u);
  EXPECT_EQ(ab, ba);  // order of acquisition does not matter
  uint32_t n = 0;
  const uint32_t *ids = rc_lockset_get(ab, &n);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(ids[0], 3u);  // sorted
  EXPECT_EQ(ids[1], 7u);
  EXPECT_EQ(rc_lockset_without(ab, 3), a);
  EXPECT_EQ(rc_lockset_without(rc_lockset_without(ab, 7), 3), 0u);
  EXPECT_EQ(rc_lockset_without(a, 99), a);  // not a member
  EXPECT_EQ(rc_lockset_with(a, 7), a);      // already a member
  rc_lockset_get(0, &n);
  EXPECT_EQ(n, 0u);
}

TEST(Lockset, HeldDetailsAreKeptAndDistinguishSets) {
  const rc_site *here = NewSite("l.c", "lock_here", 4);
  const rc_site *there = NewSite("l.c", "lock_there", 9);
  rc_held_lock h1{11, here, 0, true};
  rc_held_lock h2{11, there, 0, true};
  rc_held_lock h3{11, here, 0, false};
  rc_lockset_id s1 = rc_lockset_with_held(0, &h1);
  rc_lockset_id s2 = rc_lockset_with_held(0, &h2);
  rc_lockset_id s3 = rc_lockset_with_held(0, &h3);
  EXPECT_NE(s1, s2);
  EXPECT_NE(s1, s3);
  EXPECT_EQ(rc_lockset_with_held(0, &h1), s1);
  uint32_t n = 0;
  const rc_held_lock *held = rc_lockset_get_held(s3, &n);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(held[0].lock_id, 11u);
  EXPECT_EQ(held[0].site, here);
  EXPECT_FALSE(held[0].write);
  // Removing keeps the other members' details.
  rc_held_lock other{2, there, 0, true};
  rc_lockset_id both = rc_lockset_with_held(s1, &other);
  held = rc_lockset_get_held(rc_lockset_without(both, 2), &n);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(held[0].site, here);
}

TEST(Lockset, ManySetsStayDistinct) {
  std::set<rc_lockset_id> seen;
  for (uint32_t i = 1; i <= 500; i++) {
    rc_lockset_id s = rc_lockset_with(rc_lockset_with(0, 1000 + i), 5000);
    EXPECT_TRUE(seen.insert(s).second);
    uint32_t n = 0;
    const uint32_t *ids = rc_lockset_get(s, &n);
    ASSERT_EQ(n, 2u);
    EXPECT_EQ(ids[0], 1000 + i);
  }
}

TEST(Lockset, CachedStepsGiveTheInternedSets) {
  // More distinct steps than the transition cache has lines, twice: the
  // second pass (hits and evicted lines alike) gives the first pass's ids.
  const rc_site *here = NewSite("l.c", "cached", 5);
  const rc_site *there = NewSite("l.c", "cached", 6);
  std::vector<rc_lockset_id> first;
  for (int pass = 0; pass < 2; ++pass)
    for (uint32_t i = 0; i < 3000; ++i) {
      rc_held_lock outer{20000 + i, here, 0, true};
      rc_held_lock inner{30000 + i, there, i % 3, i % 2 == 0};
      rc_lockset_id s = rc_lockset_with_held(0, &outer);
      rc_lockset_id both = rc_lockset_with_held(s, &inner);
      ASSERT_EQ(rc_lockset_without(both, 30000 + i), s);
      ASSERT_EQ(rc_lockset_without(both, 20000 + i), rc_lockset_with_held(0, &inner));
      ASSERT_EQ(rc_lockset_without(s, 20000 + i), 0u);
      if (pass == 0)
        first.push_back(both);
      else
        ASSERT_EQ(both, first[i]);
    }
  // Each field of the member is part of the step: another stack, site or
  // mode of the same lock from the same set is another set.
  rc_held_lock base{40000, here, 1, true};
  rc_lockset_id s = rc_lockset_with_held(0, &base);
  for (int i = 0; i < 2; ++i) {
    rc_held_lock other_stack{40000, here, 2, true};
    rc_held_lock other_site{40000, there, 1, true};
    rc_held_lock other_mode{40000, here, 1, false};
    EXPECT_NE(rc_lockset_with_held(0, &other_stack), s);
    EXPECT_NE(rc_lockset_with_held(0, &other_site), s);
    EXPECT_NE(rc_lockset_with_held(0, &other_mode), s);
    EXPECT_EQ(rc_lockset_with_held(0, &base), s);
  }
}

}  // namespace
}  // namespace racecheck
