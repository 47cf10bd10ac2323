// test_support.h — helpers shared by the runtime unit tests: hand-built
// threads, unique source sites and fresh (never shadowed) memory, and a
// fixture that resets the fake runtime state around every test.
#ifndef RACECHECK_UNITTESTS_TEST_SUPPORT_H
#define RACECHECK_UNITTESTS_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "test_fakes.h"

namespace racecheck {

// A source position with a stable, never reused address (the shadow and the
// race de-duplication key on site addresses, which must not repeat across
// tests).
const rc_site *NewSite(const char *file, const char *function, unsigned line, unsigned column = 1,
                       const rc_site *inlined_at = nullptr);

// `size` bytes of zeroed, 64-byte aligned memory no earlier test touched.
uintptr_t FreshMemory(size_t size);

// An rc_thread set up as init.c would: epoch 1, parent, large budget.
rc_thread *NewThread(rc_tid tid, rc_tid parent);

// Make `t` the token holder and the calling thread's runtime record.
void RunAs(rc_thread *t);

// Happens-before edge: `from` releases (and ticks), `to` acquires.
void Synchronize(rc_thread *from, rc_thread *to);

// The findings recorded since the fixture's SetUp.
std::vector<const rc_finding *> Findings();

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Registers `t` in g_rt.threads (for stack symbolization and the record).
  void AddToRuntime(rc_thread *t);

 private:
  std::vector<rc_thread *> threads_;
};

}  // namespace racecheck

#endif
