// sync_objects_test.cpp — the registry of typed sync objects (sync/sync.c):
// one struct per kind behind a common header, found by address; an object
// of another kind at a reused address replaces the old one; freeing memory
// forgets the objects inside it; the kind-independent accessors the
// scheduler and the detectors use; the cache of recently used objects and
// the filter of atomic clocks never answer what the tables would not.
#include <vector>

#include "test_support.h"

extern "C" {
#include "sync/objects.h"
}

namespace racecheck {
namespace {

using SyncObjectsTest = RuntimeTest;

TEST_F(SyncObjectsTest, GetCreatesOneTypedObjectPerAddress) {
  uintptr_t addr = FreshMemory(64);
  rc_mutex *m = rc_mutex_get(reinterpret_cast<void *>(addr));
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->hdr.kind, RC_SYNC_MUTEX);
  EXPECT_EQ(m->hdr.addr, addr);
  EXPECT_EQ(m->hdr.lock_id, UINT32_MAX);
  EXPECT_EQ(m->owner, nullptr);
  EXPECT_EQ(rc_mutex_get(reinterpret_cast<void *>(addr)), m);
  EXPECT_EQ(rc_mutex_find(reinterpret_cast<void *>(addr)), m);
  // A typed find of another kind does not see the mutex.
  EXPECT_EQ(rc_rwlock_find(reinterpret_cast<void *>(addr)), nullptr);
  EXPECT_EQ(rc_sem_find(reinterpret_cast<void *>(addr + 8)), nullptr);
}

TEST_F(SyncObjectsTest, AnotherKindAtTheAddressReplacesTheObject) {
  void *addr = reinterpret_cast<void *>(FreshMemory(64));
  rc_mutex *m = rc_mutex_get(addr);
  rc_sync_assign_identity(&m->hdr, "mutex", NewSite("s.c", "f", 1));
  ASSERT_NE(m->hdr.lock_id, UINT32_MAX);
  rc_sem *s = rc_sem_get(addr);
  EXPECT_EQ(s->hdr.kind, RC_SYNC_SEM);
  EXPECT_EQ(s->hdr.lock_id, UINT32_MAX);  // a new object, no identity yet
  EXPECT_EQ(s->value, 0);
  EXPECT_EQ(s->clock.n, 0u);
  EXPECT_EQ(rc_mutex_find(addr), nullptr);
  EXPECT_EQ(rc_sem_find(addr), s);
}

TEST_F(SyncObjectsTest, DestroyAndFreeRangeForgetObjects) {
  uintptr_t base = FreshMemory(256);
  void *a = reinterpret_cast<void *>(base);
  void *b = reinterpret_cast<void *>(base + 64);
  void *c = reinterpret_cast<void *>(base + 128);
  rc_cond_get(a);
  rc_barrier_get(b);
  rc_futex_get(c);
  rc_sync_destroy(a);
  EXPECT_EQ(rc_sync_find(a), nullptr);
  rc_sync_free_range(base + 64, 64);  // covers b only
  EXPECT_EQ(rc_sync_find(b), nullptr);
  EXPECT_NE(rc_futex_find(c), nullptr);
}

TEST_F(SyncObjectsTest, AccessorsReadEachKindsOwnFields) {
  rc_thread *t = NewThread(1, 0);
  AddToRuntime(t);
  uintptr_t base = FreshMemory(512);
  auto at = [&](int i) { return reinterpret_cast<void *>(base + 64 * i); };
  rc_mutex *m = rc_mutex_get(at(0));
  m->owner = t;
  rc_rwlock *rw = rc_rwlock_get(at(1));
  rw->readers = 3;
  rc_sem *s = rc_sem_get(at(2));
  s->value = 5;
  rc_barrier *b = rc_barrier_get(at(3));
  b->arrived = 2;
  rc_once *o = rc_once_get(at(4));
  o->state = RC_ONCE_RUNNING;
  o->owner = t;
  rc_cond *c = rc_cond_get(at(5));

  EXPECT_EQ(rc_sync_owner(&m->hdr), t);
  EXPECT_EQ(rc_sync_owner(&rw->hdr), nullptr);
  EXPECT_EQ(rc_sync_owner(&o->hdr), t);
  EXPECT_EQ(rc_sync_owner(&c->hdr), nullptr);
  EXPECT_EQ(rc_sync_readers(&rw->hdr), 3u);
  EXPECT_EQ(rc_sync_readers(&m->hdr), 0u);
  EXPECT_EQ(rc_sync_count(&s->hdr), 5);
  EXPECT_EQ(rc_sync_count(&b->hdr), 2);
  EXPECT_EQ(rc_sync_count(&o->hdr), RC_ONCE_RUNNING);
  EXPECT_EQ(rc_sync_count(&m->hdr), 0);
}

TEST_F(SyncObjectsTest, HeldForReadSeesOnlyReadHolds) {
  rc_thread *t = NewThread(1, 0);
  AddToRuntime(t);
  const rc_site *site = NewSite("s.c", "f", 2);
  rc_held_add(t, 7, site, false);
  rc_held_add(t, 8, site, true);
  EXPECT_TRUE(rc_held_for_read(t, 7));
  EXPECT_FALSE(rc_held_for_read(t, 8));
  rc_held_remove(t, 7);
  EXPECT_FALSE(rc_held_for_read(t, 7));
}

TEST_F(SyncObjectsTest, LookupCacheNeverReturnsADestroyedOrReplacedObject) {
  uintptr_t base = FreshMemory(64 * 256);
  auto at = [&](int i) { return reinterpret_cast<void *>(base + 64 * i); };
  // More objects than the cache has lines: every one is still found, each
  // at its own address, whether its line holds it or another.
  std::vector<rc_mutex *> made;
  for (int i = 0; i < 256; ++i) made.push_back(rc_mutex_get(at(i)));
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 256; ++i) {
      ASSERT_EQ(rc_mutex_find(at(i)), made[i]);
      ASSERT_EQ(rc_mutex_get(at(i)), made[i]);
    }
  // Destroyed while cached: gone, and a new object at the address is new.
  ASSERT_EQ(rc_sync_find(at(3)), &made[3]->hdr);
  rc_sync_destroy(at(3));
  EXPECT_EQ(rc_sync_find(at(3)), nullptr);
  EXPECT_EQ(rc_mutex_find(at(3)), nullptr);
  rc_rwlock *rw = rc_rwlock_get(at(3));
  EXPECT_EQ(rc_sync_find(at(3)), &rw->hdr);
  EXPECT_EQ(rc_mutex_find(at(3)), nullptr);
  // Replaced by another kind while cached.
  ASSERT_EQ(rc_mutex_find(at(4)), made[4]);
  rc_cond *c = rc_cond_get(at(4));
  EXPECT_EQ(c->hdr.kind, RC_SYNC_COND);
  EXPECT_EQ(rc_mutex_find(at(4)), nullptr);
  EXPECT_EQ(rc_cond_find(at(4)), c);
  // Freed memory forgets its cached objects.
  ASSERT_EQ(rc_mutex_find(at(5)), made[5]);
  rc_sync_free_range(base + 64 * 5, 64);
  EXPECT_EQ(rc_sync_find(at(5)), nullptr);
  EXPECT_EQ(rc_mutex_find(at(6)), made[6]);
}

TEST_F(SyncObjectsTest, AtomicClocksAreFoundExactlyWhereMade) {
  uintptr_t base = FreshMemory(8 * 4096);
  auto at = [&](int i) { return reinterpret_cast<void *>(base + 8 * i); };
  for (int i = 0; i < 4096; ++i) ASSERT_EQ(rc_atomic_clock_find(at(i)), nullptr);
  std::vector<rc_vc *> clocks;
  for (int i = 0; i < 4096; i += 7) clocks.push_back(rc_atomic_clock(at(i)));
  for (int i = 0; i < 4096; ++i)
    ASSERT_EQ(rc_atomic_clock_find(at(i)), i % 7 ? nullptr : clocks[i / 7]) << i;
  rc_sync_free_range(base, 8 * 4096);
  for (int i = 0; i < 4096; ++i) ASSERT_EQ(rc_atomic_clock_find(at(i)), nullptr);
}

}  // namespace
}  // namespace racecheck
