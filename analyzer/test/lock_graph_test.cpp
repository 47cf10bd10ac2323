// lock_graph_test.cpp — lock-order cycle detection over synthetic records:
// each filter has a record it must drop and a near-identical one it must keep,
// so removing the filter (or breaking detection) fails a test.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "fingerprint.h"
#include "json_report.h"
#include "lock_graph.h"
#include "record_reader.h"
#include "test_data.h"
#include "text_report.h"

namespace racecheck {
namespace {

// Writes a record with `threads` threads, the given locks (kinds), one site
// per line number used, fork-join clocks, locksets and lock edges.
class RecordBuilder {
 public:
  explicit RecordBuilder(int threads) : threads_(threads) {}

  int lock(const std::string &kind = "mutex") {
    int id = static_cast<int>(locks_.size());
    locks_.push_back("lock\t" + std::to_string(id) + "\t" + kind + "\tlock_" + std::to_string(id) +
                     "\t-1\t0\t0\t0");
    return id;
  }
  // A fork-join clock: entries for T0, T1, ...
  int clock(const std::vector<int> &entries) {
    int id = static_cast<int>(clocks_.size());
    std::string line = "fork-join-clock\t" + std::to_string(id);
    for (int e : entries) line += "\t" + std::to_string(e);
    clocks_.push_back(line);
    return id;
  }
  // A sync-order clock: entries for T0, T1, ..., advanced last through `via`.
  int sync_clock(const std::vector<int> &entries, int via) {
    int id = static_cast<int>(sync_clocks_.size());
    std::string line = "sync-order-clock\t" + std::to_string(id) + "\t" + std::to_string(via);
    for (int e : entries) line += "\t" + std::to_string(e);
    sync_clocks_.push_back(line);
    return id;
  }
  // Gives the last edge a sync-order clock (its optional 13th field).
  RecordBuilder &sync(int sync_clock) {
    edges_.back() += "\t" + std::to_string(sync_clock);
    return *this;
  }
  // A held set: lock ids with their mode ('w' or 'r'); acquired at line 1.
  int lockset(const std::vector<std::pair<int, char>> &held) {
    int id = static_cast<int>(locksets_.size()) + 1;
    std::string line = "lockset\t" + std::to_string(id);
    for (auto [lock, mode] : held)
      line += "\t" + std::to_string(lock) + ":" + std::to_string(site(1)) + ":0:" + mode;
    locksets_.push_back(line);
    return id;
  }
  // Thread `tid` holds `held` (acquired at `held_line`) and asks for `wanted`
  // at `wanted_line`. The held set defaults to {held}.
  RecordBuilder &edge(int tid, int held, int held_line, int wanted, int wanted_line, int clock,
                      const std::string &wait = "block", char held_mode = 'w',
                      char wanted_mode = 'w', int held_set = -1) {
    if (held_set < 0) held_set = lockset({{held, held_mode}});
    edges_.push_back("lock-edge\t" + std::to_string(tid) + "\t" + std::to_string(held) + "\t" +
                     std::to_string(site(held_line)) + "\t0\t" + held_mode + "\t" +
                     std::to_string(wanted) + "\t" + std::to_string(site(wanted_line)) + "\t0\t" +
                     wanted_mode + "\t" + wait + "\t" + std::to_string(held_set) + "\t" +
                     std::to_string(clock));
    return *this;
  }

  std::string text() const {
    std::ostringstream out;
    out << "racecheck-record\t1\nmeta\tseed\t0\n";
    for (size_t i = 0; i < sites_.size(); ++i)
      out << "site\t" << i << "\t/src/locks.c\tworker\t" << sites_[i] << "\t3\t-1\n";
    for (int t = 0; t < threads_; ++t)
      out << "thread\t" << t << "\t" << (t ? "0" : "-1") << "\t-1\t-1\n";
    for (const auto &l : locks_) out << l << "\n";
    for (const auto &l : locksets_) out << l << "\n";
    for (const auto &l : clocks_) out << l << "\n";
    for (const auto &l : sync_clocks_) out << l << "\n";
    for (const auto &l : edges_) out << l << "\n";
    out << "end-record\n";
    return out.str();
  }
  Record record() const { return test::parse(text()); }

 private:
  int site(int line) {
    for (size_t i = 0; i < sites_.size(); ++i)
      if (sites_[i] == line) return static_cast<int>(i);
    sites_.push_back(line);
    return static_cast<int>(sites_.size()) - 1;
  }

  int threads_;
  std::vector<int> sites_;
  std::vector<std::string> locks_, locksets_, clocks_, sync_clocks_, edges_;
};

// T1 and T2 were both created by T0 before either finished: concurrent.
struct Abba {
  RecordBuilder b{3};
  int a = b.lock(), c = b.lock();
  int t1_clock = b.clock({1, 1});
  int t2_clock = b.clock({2, 0, 1});
};

size_t cycles(const Record &record, LockOrderOptions options = {}) {
  return find_lock_order_cycles(record, options).findings.size();
}

TEST(LockGraph, AbbaBetweenTwoConcurrentThreadsIsACycle) {
  Abba x;
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock).edge(2, x.c, 20, x.a, 21, x.t2_clock);
  Record r = x.b.record();
  LockOrderResult result = find_lock_order_cycles(r);
  ASSERT_EQ(result.findings.size(), 1u);
  const Finding &f = result.findings[0];
  EXPECT_EQ(f.kind, FindingKind::LockOrderCycle);
  ASSERT_EQ(f.cycle.size(), 2u);
  EXPECT_EQ(f.cycle[0].lock, f.cycle[1].held.lock);
  EXPECT_EQ(f.cycle[1].lock, f.cycle[0].held.lock);
  EXPECT_NE(f.cycle[0].tid, f.cycle[1].tid);
  // The suggested order follows every step but the violating one.
  ASSERT_EQ(f.suggested_order.size(), 2u);
  const LockEdge &bad = f.cycle.at(static_cast<size_t>(f.violating_edge));
  EXPECT_EQ(f.suggested_order.front(), bad.lock);
  EXPECT_EQ(f.suggested_order.back(), bad.held.lock);
  EXPECT_TRUE(result.notes.empty());
}

TEST(LockGraph, OneOrderEverywhereIsNoCycle) {
  Abba x;
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock).edge(2, x.a, 20, x.c, 21, x.t2_clock);
  EXPECT_EQ(cycles(x.b.record()), 0u);
}

TEST(LockGraph, InversionInOneThreadNeedsTheOptIn) {
  Abba x;
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock).edge(1, x.c, 20, x.a, 21, x.t1_clock);
  Record r = x.b.record();
  EXPECT_EQ(cycles(r), 0u);
  LockOrderOptions single;
  single.single_thread = true;
  EXPECT_EQ(cycles(r, single), 1u);
}

TEST(LockGraph, CommonGateLockPreventsTheCycle) {
  Abba x;
  int gate = x.b.lock();
  int t1_set = x.b.lockset({{gate, 'w'}, {x.a, 'w'}});
  int t2_set = x.b.lockset({{gate, 'w'}, {x.c, 'w'}});
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock, "block", 'w', 'w', t1_set)
      .edge(2, x.c, 20, x.a, 21, x.t2_clock, "block", 'w', 'w', t2_set);
  EXPECT_EQ(cycles(x.b.record()), 0u);
}

TEST(LockGraph, GateHeldForReadingIsNoGate) {
  Abba x;
  int gate = x.b.lock("rwlock");
  int t1_set = x.b.lockset({{gate, 'r'}, {x.a, 'w'}});
  int t2_set = x.b.lockset({{gate, 'r'}, {x.c, 'w'}});
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock, "block", 'w', 'w', t1_set)
      .edge(2, x.c, 20, x.a, 21, x.t2_clock, "block", 'w', 'w', t2_set);
  EXPECT_EQ(cycles(x.b.record()), 1u);
}

TEST(LockGraph, GateHeldByOnlySomeThreadsIsNoGate) {
  Abba x;
  int gate = x.b.lock();
  int t1_set = x.b.lockset({{gate, 'w'}, {x.a, 'w'}});
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock, "block", 'w', 'w', t1_set)
      .edge(2, x.c, 20, x.a, 21, x.t2_clock);
  EXPECT_EQ(cycles(x.b.record()), 1u);
}

TEST(LockGraph, ThreadsOrderedByJoinAndCreateCannotDeadlock) {
  Abba x;
  // T0 joined T1 (knows T1's clock 1), then created T2.
  int t2_after_join = x.b.clock({3, 1, 1});
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock).edge(2, x.c, 20, x.a, 21, t2_after_join);
  EXPECT_EQ(cycles(x.b.record()), 0u);
}

TEST(LockGraph, ParentBeforeCreatingTheChildIsOrdered) {
  RecordBuilder b(2);
  int a = b.lock(), c = b.lock();
  int t0_before = b.clock({1});
  int t0_after = b.clock({2});
  int t1 = b.clock({1, 1});
  b.edge(0, a, 10, c, 11, t0_before).edge(1, c, 20, a, 21, t1);
  EXPECT_EQ(cycles(b.record()), 0u);
  RecordBuilder b2(2);
  a = b2.lock();
  c = b2.lock();
  b2.clock({1});
  t0_after = b2.clock({2});
  t1 = b2.clock({1, 1});
  b2.edge(0, a, 10, c, 11, t0_after).edge(1, c, 20, a, 21, t1);
  EXPECT_EQ(cycles(b2.record()), 1u);
}

TEST(LockGraph, ReadersOfAReaderPreferringRwlockDoNotWait) {
  for (const char *kind : {"rwlock", "writer-preferring-rwlock"}) {
    RecordBuilder b(3);
    int a = b.lock(kind), c = b.lock(kind);
    int t1 = b.clock({1, 1}), t2 = b.clock({2, 0, 1});
    b.edge(1, a, 10, c, 11, t1, "block", 'r', 'r').edge(2, c, 20, a, 21, t2, "block", 'r', 'r');
    EXPECT_EQ(cycles(b.record()), std::string(kind) == "rwlock" ? 0u : 1u) << kind;
  }
}

TEST(LockGraph, AWriterOnOneSideOfTheRwlockCanWait) {
  RecordBuilder b(3);
  int a = b.lock("rwlock"), c = b.lock("rwlock");
  int t1 = b.clock({1, 1}), t2 = b.clock({2, 0, 1});
  // T1 read-holds a and reads c; T2 write-holds c and wants a for writing:
  // each request conflicts with the other's hold.
  b.edge(1, a, 10, c, 11, t1, "block", 'r', 'r').edge(2, c, 20, a, 21, t2, "block", 'w', 'w');
  EXPECT_EQ(cycles(b.record()), 1u);
  // One link where a reader meets a reader breaks the cycle.
  RecordBuilder b2(3);
  a = b2.lock("rwlock");
  c = b2.lock("rwlock");
  t1 = b2.clock({1, 1});
  t2 = b2.clock({2, 0, 1});
  b2.edge(1, a, 10, c, 11, t1, "block", 'r', 'w').edge(2, c, 20, a, 21, t2, "block", 'r', 'r');
  EXPECT_EQ(cycles(b2.record()), 0u);
}

TEST(LockGraph, TrylockAndTimedWaitsGiveUp) {
  for (const char *wait : {"try", "timed"}) {
    Abba x;
    x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock).edge(2, x.c, 20, x.a, 21, x.t2_clock, wait);
    EXPECT_EQ(cycles(x.b.record()), 0u) << wait;
  }
}

TEST(LockGraph, SomeObservationOfEachEdgeMayQualify) {
  Abba x;
  int gate = x.b.lock();
  int t1_gated = x.b.lockset({{gate, 'w'}, {x.a, 'w'}});
  int t2_gated = x.b.lockset({{gate, 'w'}, {x.c, 'w'}});
  // Each edge was seen gated, and T1's edge once more without the gate.
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock, "block", 'w', 'w', t1_gated)
      .edge(2, x.c, 20, x.a, 21, x.t2_clock, "block", 'w', 'w', t2_gated)
      .edge(1, x.a, 30, x.c, 31, x.t1_clock);
  Record r = x.b.record();
  LockOrderResult result = find_lock_order_cycles(r);
  ASSERT_EQ(result.findings.size(), 1u);
  for (const LockEdge &e : result.findings[0].cycle)
    if (e.tid == 1) EXPECT_EQ(r.site(e.held.acquire_site).line, 30u);
}

TEST(LockGraph, DiningPhilosophersFiveLocksFiveThreads) {
  RecordBuilder b(6);
  std::vector<int> forks;
  for (int i = 0; i < 5; ++i) forks.push_back(b.lock());
  for (int i = 0; i < 5; ++i) {
    std::vector<int> clock(static_cast<size_t>(i) + 2, 0);
    clock[0] = i + 1;
    clock[static_cast<size_t>(i) + 1] = 1;
    b.edge(i + 1, forks[i], 10, forks[(i + 1) % 5], 11, b.clock(clock));
  }
  Record r = b.record();
  LockOrderResult result = find_lock_order_cycles(r);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].cycle.size(), 5u);
}

TEST(LockGraph, CycleLongerThanTheThreadCountIsSkipped) {
  // Three locks in a cycle, but only two threads take them.
  RecordBuilder b(3);
  int l0 = b.lock(), l1 = b.lock(), l2 = b.lock();
  int t1 = b.clock({1, 1}), t2 = b.clock({2, 0, 1});
  b.edge(1, l0, 10, l1, 11, t1).edge(1, l1, 12, l2, 13, t1).edge(2, l2, 20, l0, 21, t2);
  EXPECT_EQ(cycles(b.record()), 0u);
}

// A ring of ten locks taken by T1 plus one inversion by T2: the component
// has ten locks but only two threads, so the depth-bounded search runs.
RecordBuilder ring_with_inversion() {
  RecordBuilder b(3);
  std::vector<int> ring;
  for (int i = 0; i < 10; ++i) ring.push_back(b.lock());
  int t1 = b.clock({1, 1}), t2 = b.clock({2, 0, 1});
  for (int i = 0; i < 10; ++i) b.edge(1, ring[i], 10 + i, ring[(i + 1) % 10], 30 + i, t1);
  b.edge(2, ring[1], 50, ring[0], 51, t2);
  return b;
}

TEST(LockGraph, ShortCycleInsideALargeComponentIsFound) {
  Record r = ring_with_inversion().record();
  LockOrderResult result = find_lock_order_cycles(r);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].cycle.size(), 2u);
  EXPECT_TRUE(result.notes.empty());
}

TEST(LockGraph, SearchStepBoundStopsTheSearchWithANote) {
  Record r = ring_with_inversion().record();
  LockOrderOptions options;
  options.max_search_steps = 3;
  LockOrderResult result = find_lock_order_cycles(r, options);
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_NE(result.notes[0].find("stopped after 3 search steps"), std::string::npos);
}

TEST(LockGraph, CircuitBoundStopsTheSearchWithANote) {
  // Every thread takes every pair of locks in both orders: many circuits.
  const int n = 7;
  RecordBuilder b(n + 1);
  std::vector<int> locks;
  for (int i = 0; i < n; ++i) locks.push_back(b.lock());
  for (int t = 1; t <= n; ++t) {
    std::vector<int> clock(static_cast<size_t>(t) + 1, 0);
    clock[0] = t;
    clock[static_cast<size_t>(t)] = 1;
    int c = b.clock(clock);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (i != j) b.edge(t, locks[i], 10 + i, locks[j], 20 + j, c);
  }
  Record r = b.record();
  LockOrderOptions options;
  options.max_circuits_per_component = 50;
  LockOrderResult result = find_lock_order_cycles(r, options);
  EXPECT_FALSE(result.findings.empty());
  EXPECT_LE(result.findings.size(), 50u);
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_NE(result.notes[0].find("stopped after 50 cycles"), std::string::npos);
}

TEST(LockGraph, ReportsTheFourCoffmanConditionsAndAFix) {
  Abba x;
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock).edge(2, x.c, 20, x.a, 21, x.t2_clock);
  Record r = x.b.record();
  add_lock_order_findings(r);
  ASSERT_EQ(r.count(FindingKind::LockOrderCycle), 1u);
  std::ostringstream text;
  write_text_report(text, r);
  for (const char *part :
       {"WARNING: racecheck: potential deadlock: lock-order cycle over 2 locks in 2 threads",
        "Mutual exclusion:", "Hold and wait:", "Thread T1 holds mutex 'lock_0'",
        "and waits for mutex 'lock_1'", "No preemption:", "Circular wait: T1 waits for T2",
        "Suggested fix: acquire these locks in one global order:", "1 lock-order cycle(s)"})
    EXPECT_NE(text.str().find(part), std::string::npos) << part << "\n" << text.str();

  nlohmann::ordered_json j = json_report(r);
  const auto &cycle = j["findings"][0]["lock_order_cycle"];
  EXPECT_EQ(j["findings"][0]["kind"], "lock-order-cycle");
  EXPECT_EQ(cycle["hold_and_wait"].size(), 2u);
  EXPECT_EQ(cycle["hold_and_wait"][0]["holds"]["acquired_at"]["line"], 10);
  EXPECT_EQ(cycle["hold_and_wait"][0]["wants"]["location"]["line"], 11);
  EXPECT_EQ(cycle["mutual_exclusion"].size(), 2u);
  EXPECT_EQ(cycle["circular_wait"].size(), 2u);
  EXPECT_EQ(cycle["suggested_order"].size(), 2u);

  std::ostringstream dot;
  write_lock_cycles_dot(dot, r);
  EXPECT_NE(dot.str().find("digraph"), std::string::npos);
  EXPECT_NE(dot.str().find("mutex 'lock_0'"), std::string::npos);
  EXPECT_NE(dot.str().find("cycle 1: T1 holds (/src/locks.c:10) and waits (/src/locks.c:11)"),
            std::string::npos)
      << dot.str();
}

TEST(LockGraph, ARealDeadlockOnTheCycleConfirmsIt) {
  for (bool deadlocked : {false, true}) {
    Abba x;
    x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock).edge(2, x.c, 20, x.a, 21, x.t2_clock);
    std::string text = x.b.text();
    if (deadlocked) {
      // Both threads wait where they ask for the other's lock (lines 11, 21).
      Record plain = test::parse(text);
      auto site_at = [&](uint32_t line) {
        for (const auto &[id, site] : plain.sites)
          if (site.line == line) return std::to_string(id);
        return std::string("-1");
      };
      std::string deadlock = "finding\tdeadlock\nwaiter\t1\tpthread_mutex_lock\tmutex\t" +
                             site_at(11) + "\t0\nwaiter\t2\tpthread_mutex_lock\tmutex\t" +
                             site_at(21) + "\t0\nend\n";
      text.insert(text.find("end-record"), deadlock);
    }
    Record r = test::parse(text);
    add_lock_order_findings(r);
    ASSERT_EQ(r.count(FindingKind::LockOrderCycle), 1u);
    EXPECT_EQ(r.findings.back().confirmed, deadlocked);
    std::ostringstream out;
    write_text_report(out, r);
    EXPECT_EQ(out.str().find("really deadlocked") != std::string::npos, deadlocked) << out.str();
  }
}

TEST(LockGraph, FingerprintDoesNotDependOnWhereTheCycleStarts) {
  Abba x;
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock).edge(2, x.c, 20, x.a, 21, x.t2_clock);
  Record r = x.b.record();
  add_lock_order_findings(r);
  ASSERT_EQ(r.findings.size(), 1u);
  Finding rotated = r.findings[0];
  std::swap(rotated.cycle[0], rotated.cycle[1]);
  EXPECT_EQ(finding_fingerprint(r, r.findings[0]), finding_fingerprint(r, rotated));
}

TEST(LockGraphRecord, RejectsADanglingForkJoinClock) {
  Abba x;
  x.b.edge(1, x.a, 10, x.c, 11, /*clock=*/7);
  EXPECT_THROW(x.b.record(), RecordError);
}

TEST(LockGraphRecord, RejectsAnUnknownWait) {
  Abba x;
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock, "sometimes");
  EXPECT_THROW(x.b.record(), RecordError);
}

// ---- requests ordered by other synchronisation (sync-order clock) ----

// ABBA between T1 and T2, concurrent by fork/join, with sync-order clocks
// (T0, T1, T2 entries) given per edge; `gate` is the semaphore named as via.
struct SyncOrdered {
  Abba x;
  int gate = x.b.lock("sem");
  LockOrderResult result(const std::vector<int> &t1, const std::vector<int> &t2) {
    int c1 = x.b.sync_clock(t1, gate), c2 = x.b.sync_clock(t2, gate);
    x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock).sync(c1);
    x.b.edge(2, x.c, 20, x.a, 21, x.t2_clock).sync(c2);
    record = x.b.record();
    return find_lock_order_cycles(record);
  }
  Record record;
};

TEST(LockGraphSyncOrder, SecondRequestAfterTheFirstIsOrderedNotACycle) {
  SyncOrdered s;
  // T2 asked knowing T1's epoch of its request (1): T1 had asked, then posted.
  LockOrderResult r = s.result({0, 1, 0}, {0, 1, 1});
  EXPECT_TRUE(r.findings.empty());
  ASSERT_EQ(r.ordered_count, 1u);
  ASSERT_EQ(r.ordered.size(), 1u);
  const OrderedLockCycle &o = r.ordered[0];
  EXPECT_EQ(o.cycle.at(o.before).tid, 1);
  EXPECT_EQ(o.cycle.at(o.after).tid, 2);
  EXPECT_EQ(o.via, s.gate);
  std::string text = ordered_cycle_description(s.record, o);
  EXPECT_NE(text.find("T2 asked at /src/locks.c:21 only after T1 had asked at /src/locks.c:11"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("sem 'lock_2'"), std::string::npos) << text;
}

TEST(LockGraphSyncOrder, FirstRequestAfterTheSecondIsOrderedToo) {
  SyncOrdered s;
  LockOrderResult r = s.result({0, 1, 2}, {0, 0, 2});
  EXPECT_TRUE(r.findings.empty());
  ASSERT_EQ(r.ordered.size(), 1u);
  EXPECT_EQ(r.ordered[0].cycle.at(r.ordered[0].before).tid, 2);
  EXPECT_EQ(r.ordered[0].cycle.at(r.ordered[0].after).tid, 1);
}

TEST(LockGraphSyncOrder, UnorderedRequestsOverlapAndAreACycle) {
  SyncOrdered s;
  LockOrderResult r = s.result({0, 1, 0}, {0, 0, 1});
  EXPECT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.ordered_count, 0u);
}

TEST(LockGraphSyncOrder, KnowingOnlyAnEpochBeforeTheRequestOrdersNothing) {
  SyncOrdered s;
  // T2 saw T1's release of epoch 1, but T1 asked in epoch 2: T1 may still
  // hold its lock while T2 asks, both ways round.
  LockOrderResult r = s.result({0, 2, 1}, {0, 1, 2});
  EXPECT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.ordered_count, 0u);
}

TEST(LockGraphSyncOrder, EdgesWithoutSyncOrderClockAreUnordered) {
  Abba x;
  x.b.edge(1, x.a, 10, x.c, 11, x.t1_clock).sync(-1);
  x.b.edge(2, x.c, 20, x.a, 21, x.t2_clock);
  EXPECT_EQ(cycles(x.b.record()), 1u);
}

TEST(LockGraphSyncOrder, OrderedCyclesReachTheTextAndJsonReportsApart) {
  SyncOrdered s;
  s.result({0, 1, 0}, {0, 1, 1});
  add_lock_order_findings(s.record);
  EXPECT_TRUE(s.record.findings.empty());
  ASSERT_EQ(s.record.ordered_lock_cycle_count, 1u);
  ASSERT_EQ(s.record.notes.size(), 1u);
  EXPECT_NE(s.record.notes[0].find("1 lock-order cycle(s) are ordered by happens-before"),
            std::string::npos);
  nlohmann::ordered_json j = json_report(s.record);
  ASSERT_TRUE(j.contains("ordered_lock_cycles"));
  EXPECT_EQ(j["ordered_lock_cycles"]["count"], 1);
  const auto &c = j["ordered_lock_cycles"]["cycles"][0];
  EXPECT_EQ(c["ordering"]["before"]["thread"], "T1");
  EXPECT_EQ(c["ordering"]["after"]["thread"], "T2");
  EXPECT_EQ(c["ordering"]["through"]["kind"], "sem");
  EXPECT_EQ(c["locks"].size(), 2u);
}

}  // namespace
}  // namespace racecheck
