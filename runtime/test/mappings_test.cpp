// mappings_test.cpp — the mapping model (mappings.c): a new mapping or an
// unmapping empties the shadow of its range, and the table of live mappings
// names raced-on mapped memory, trimmed and split by partial unmaps.
#include "test_support.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

namespace racecheck {
namespace {

class MappingsTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    t1 = NewThread(1, UINT32_MAX);
    t2 = NewThread(2, UINT32_MAX);
    base = FreshMemory(5 * kPage);
    base = (base + kPage - 1) & ~(kPage - 1);
  }
  void TearDown() override {
    rc_memory_unmapped(reinterpret_cast<void *>(base), 4 * kPage);
    RuntimeTest::TearDown();
  }
  void Write(rc_thread *t, uintptr_t addr) {
    RunAs(t);
    rc_shadow_access(t, addr, 8, true, false, site);
  }
  rc_variable Describe(uintptr_t addr) {
    rc_variable v;
    memset(&v, 0, sizeof v);
    EXPECT_TRUE(rc_mapping_describe(addr, &v)) << std::hex << addr;
    return v;
  }
  void *At(uintptr_t offset) { return reinterpret_cast<void *>(base + offset); }

  static constexpr uintptr_t kPage = 4096;
  rc_thread *t1, *t2;
  uintptr_t base;
  const rc_site *site = NewSite("m.c", "f", 3);
};

// Unordered threads writing the same address of two mappings, one after
// the other's munmap, do not race: the new mapping has no history.
TEST_F(MappingsTest, ReusedAddressStartsWithoutHistory) {
  rc_memory_mapped(At(0), kPage, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0, site);
  Write(t1, base + 64);
  rc_memory_unmapped(At(0), kPage);
  rc_memory_mapped(At(0), kPage, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0, site);
  Write(t2, base + 64);
  EXPECT_TRUE(Findings().empty());
  // Without the unmapping it is a race (the check can fail).
  Write(t1, base + 64);
  EXPECT_EQ(Findings().size(), 1u);
}

TEST_F(MappingsTest, DiscardedPagesStartWithoutHistory) {
  rc_memory_mapped(At(0), 2 * kPage, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0, site);
  Write(t1, base + kPage + 8);
  rc_memory_discarded(At(kPage), kPage);
  Write(t2, base + kPage + 8);
  EXPECT_TRUE(Findings().empty());
}

TEST_F(MappingsTest, NamesTheFileAndOffsetAndKeepsThemAcrossPartialUnmaps) {
  int fd = open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  RunAs(t1);
  rc_memory_mapped(At(0), 3 * kPage, MAP_SHARED, fd, 8192, site);
  close(fd);
  rc_variable v = Describe(base + 100);
  EXPECT_EQ(v.kind, RC_VAR_MAPPING);
  EXPECT_EQ(std::string(v.name), "/dev/null");
  EXPECT_EQ(v.offset, 8192u + 100);
  EXPECT_EQ(v.size, 3 * kPage);
  EXPECT_EQ(v.site, site);
  EXPECT_EQ(v.tid, 1u);
  // A hole in the middle splits it; each side keeps its file offsets.
  rc_memory_unmapped(At(kPage), kPage);
  rc_variable gone;
  EXPECT_FALSE(rc_mapping_describe(base + kPage + 8, &gone));
  EXPECT_EQ(Describe(base + 2 * kPage + 8).offset, 8192u + 2 * kPage + 8);
  EXPECT_EQ(Describe(base + 2 * kPage).size, kPage);
  EXPECT_EQ(Describe(base + 8).offset, 8192u + 8);
  // Moving the rest keeps its file and offset at the new place.
  rc_memory_remapped(At(2 * kPage), kPage, At(3 * kPage), kPage);
  EXPECT_FALSE(rc_mapping_describe(base + 2 * kPage, &gone));
  EXPECT_EQ(Describe(base + 3 * kPage + 8).offset, 8192u + 2 * kPage + 8);
}

TEST_F(MappingsTest, AnonymousMemoryHasNoFileAndItsOffsetInTheMapping) {
  rc_memory_mapped(At(0), kPage + 1, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0, site);
  rc_variable v = Describe(base + kPage + 16);  // rounded up to whole pages
  EXPECT_EQ(v.name, nullptr);
  EXPECT_EQ(v.offset, kPage + 16);
  EXPECT_EQ(v.size, 2 * kPage);
}

}  // namespace
}  // namespace racecheck
