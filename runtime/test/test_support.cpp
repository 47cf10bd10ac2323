// test_support.cpp — see test_support.h.
#include "test_support.h"

#include <cstring>

namespace racecheck {
namespace {

constexpr size_t kMaxSites = 4096;
rc_site g_site_pool[kMaxSites];
size_t g_sites_used = 0;

constexpr size_t kArenaSize = 8 << 20;
alignas(4096) unsigned char g_arena[kArenaSize];
size_t g_arena_used = 0;

void ResetRuntimeState() {
  g_rt.current = nullptr;
  rc_self = nullptr;
  g_rt.findings = g_rt.findings_tail = nullptr;
  g_rt.n_findings = 0;
  g_rt.threads = nullptr;
  g_rt.n_threads = g_rt.threads_cap = 0;
  rc_fake_n_locks = 0;
  rc_lock_order_reset();
}

}  // namespace

const rc_site *NewSite(const char *file, const char *function, unsigned line, unsigned column,
                       const rc_site *inlined_at) {
  if (g_sites_used == kMaxSites) {
    ADD_FAILURE() << "site pool exhausted";
    return nullptr;
  }
  rc_site *s = &g_site_pool[g_sites_used++];
  *s = rc_site{file, function, line, column, inlined_at};
  return s;
}

uintptr_t FreshMemory(size_t size) {
  size = (size + 63) & ~size_t{63};
  if (g_arena_used + size > kArenaSize) {
    ADD_FAILURE() << "test arena exhausted";
    return 0;
  }
  uintptr_t p = reinterpret_cast<uintptr_t>(g_arena + g_arena_used);
  g_arena_used += size + 64;  // a gap, so neighbours never share a granule
  return p;
}

rc_thread *NewThread(rc_tid tid, rc_tid parent) {
  auto *t = static_cast<rc_thread *>(rc_alloc(sizeof(rc_thread)));
  t->tid = tid;
  t->parent = parent;
  t->status = RC_THREAD_ENABLED;
  rc_vc_init(&t->vc);
  rc_vc_set(&t->vc, tid, 1);
  rc_thread_epoch_changed(t);
  t->budget = RC_FAKE_BUDGET;
  return t;
}

void RunAs(rc_thread *t) {
  g_rt.current = t;
  rc_self = t;
}

void Synchronize(rc_thread *from, rc_thread *to) {
  rc_vc_join(&to->vc, &from->vc);
  rc_thread_tick(from);
}

std::vector<const rc_finding *> Findings() {
  std::vector<const rc_finding *> out;
  for (const rc_finding *f = g_rt.findings; f; f = f->next) out.push_back(f);
  return out;
}

void RuntimeTest::SetUp() { ResetRuntimeState(); }

void RuntimeTest::TearDown() {
  ResetRuntimeState();
  threads_.clear();
}

void RuntimeTest::AddToRuntime(rc_thread *t) {
  threads_.push_back(t);
  g_rt.threads = threads_.data();
  g_rt.n_threads = static_cast<uint32_t>(threads_.size());
  g_rt.threads_cap = g_rt.n_threads;
}

}  // namespace racecheck
