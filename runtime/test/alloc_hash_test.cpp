// alloc_hash_test.cpp — the runtime arena (rt_alloc.c) and the open-addressing
// map (rt_hash.c).
#include <cstring>
#include <map>
#include <set>

#include "test_support.h"

namespace racecheck {
namespace {

bool AllZero(const void *p, size_t n) {
  const auto *b = static_cast<const unsigned char *>(p);
  for (size_t i = 0; i < n; i++)
    if (b[i]) return false;
  return true;
}

TEST(RuntimeAlloc, ReturnsZeroedAlignedMemoryAlsoWhenRecycled) {
  for (size_t size : {1u, 16u, 17u, 100u, 4096u, 65536u, 65537u, 300000u}) {
    auto *p = static_cast<unsigned char *>(rc_alloc(size));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u) << size;
    EXPECT_TRUE(AllZero(p, size)) << size;
    memset(p, 0xAB, size);
    rc_free(p, size);
    auto *q = static_cast<unsigned char *>(rc_alloc(size));
    EXPECT_TRUE(AllZero(q, size)) << "recycled block of " << size;
    rc_free(q, size);
  }
}

TEST(RuntimeAlloc, ReallocKeepsContentAndZeroesGrowth) {
  auto *p = static_cast<unsigned char *>(rc_alloc(24));
  memset(p, 7, 24);
  p = static_cast<unsigned char *>(rc_realloc(p, 24, 30));  // same class
  EXPECT_EQ(p[23], 7);
  EXPECT_TRUE(AllZero(p + 24, 6));
  p = static_cast<unsigned char *>(rc_realloc(p, 30, 100000));  // to big
  EXPECT_EQ(p[0], 7);
  EXPECT_EQ(p[23], 7);
  EXPECT_TRUE(AllZero(p + 24, 100000 - 24));
  p = static_cast<unsigned char *>(rc_realloc(p, 100000, 8));  // back small
  EXPECT_EQ(p[7], 7);
  rc_free(p, 8);
}

TEST(RuntimeAlloc, DistinctLiveBlocksDoNotOverlap) {
  std::set<uintptr_t> seen;
  std::vector<void *> blocks;
  for (int i = 0; i < 1000; i++) {
    void *p = rc_alloc(48);
    EXPECT_TRUE(seen.insert(reinterpret_cast<uintptr_t>(p)).second);
    blocks.push_back(p);
  }
  for (void *p : blocks) rc_free(p, 48);
}

TEST(RuntimeAlloc, StrdupCopies) {
  char *s = rc_strdup("hello\tworld");
  EXPECT_STREQ(s, "hello\tworld");
  EXPECT_EQ(rc_strdup(nullptr), nullptr);
}

TEST(RuntimeHash, Hash64IsTheSplitMix64Finalizer) {
  // Reference values of the SplitMix64 finalizer (mix of 1 and of 0).
  EXPECT_EQ(rc_hash64(0), 0u);
  EXPECT_EQ(rc_hash64(1), 0x5692161d100b05e5ULL);
  EXPECT_NE(rc_hash64(2), rc_hash64(3));
}

TEST(RuntimeHash, InsertFindEraseAgainstStdMap) {
  rc_map m{};
  std::map<uint64_t, uintptr_t> model;
  uint64_t x = 12345;
  for (int step = 0; step < 20000; step++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t key = (x >> 40) % 3000 + 1;  // small key space: many repeats
    switch ((x >> 20) % 3) {
      case 0: {
        void **slot = rc_map_insert(&m, key);
        *slot = reinterpret_cast<void *>(key * 2 + 1);
        model[key] = key * 2 + 1;
        break;
      }
      case 1:
        rc_map_erase(&m, key);
        model.erase(key);
        break;
      default: {
        void **slot = rc_map_find(&m, key);
        auto it = model.find(key);
        ASSERT_EQ(slot != nullptr, it != model.end()) << key;
        if (slot) EXPECT_EQ(reinterpret_cast<uintptr_t>(*slot), it->second);
      }
    }
    ASSERT_EQ(m.count, model.size());
  }
  // Capacity stays a power of two with room to spare despite the churn.
  EXPECT_EQ(m.cap & (m.cap - 1), 0u);
  EXPECT_LE((m.count + m.tombstones) * 4, m.cap * 3);
}

TEST(RuntimeHash, InsertReturnsExistingSlotAndNewSlotIsNull) {
  rc_map m{};
  void **a = rc_map_insert(&m, 42);
  EXPECT_EQ(*a, nullptr);
  *a = &m;
  EXPECT_EQ(*rc_map_insert(&m, 42), &m);
  EXPECT_EQ(m.count, 1u);
  EXPECT_EQ(rc_map_find(&m, 43), nullptr);
  rc_map_erase(&m, 42);
  EXPECT_EQ(rc_map_find(&m, 42), nullptr);
  EXPECT_EQ(*rc_map_insert(&m, 42), nullptr);  // re-created, not resurrected
}

}  // namespace
}  // namespace racecheck
