// text_report_test.cpp — golden text reports for the fixture records, and the
// properties every report must keep (greppable first and last lines).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "json_report.h"
#include "record_reader.h"
#include "test_data.h"
#include "text_report.h"

namespace racecheck {
namespace {

std::string render(const Record &r, TextReportOptions options = {}) {
  std::ostringstream out;
  write_text_report(out, r, options);
  return out.str();
}

// Compares with data/<name>.txt; RACECHECK_UPDATE_GOLDEN=1 rewrites it.
void expect_golden(const std::string &record_name, const std::string &golden_name) {
  std::string actual = render(test::load_fixture(record_name));
  std::string path = test::data_path(golden_name);
  if (std::getenv("RACECHECK_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(actual, test::read_file(path)) << "golden " << path << " differs; actual report:\n"
                                           << actual;
}

TEST(TextReport, GoldenCounter) { expect_golden("counter.record", "counter.txt"); }
TEST(TextReport, GoldenBank) { expect_golden("bank.record", "bank.txt"); }
TEST(TextReport, GoldenDeadlock) { expect_golden("deadlock.record", "deadlock.txt"); }
TEST(TextReport, GoldenHeapHang) { expect_golden("heap_hang.record", "heap_hang.txt"); }
// Absolute paths as the plugin records them, shown relative to the project.
TEST(TextReport, GoldenUseAfterFree) {
  test::ScopedDisplayBase base("/home/dev/pool");
  expect_golden("use_after_free.record", "use_after_free.txt");
}
// Records written by the real runtime (demo bank.c at -O1 -gline-tables-only,
// and a two-lock deadlock), so the reader keeps up with the writer.
TEST(TextReport, GoldenRuntimeBank) { expect_golden("runtime_bank.record", "runtime_bank.txt"); }
TEST(TextReport, GoldenRuntimeDeadlock) {
  expect_golden("runtime_deadlock.record", "runtime_deadlock.txt");
}
// The same deadlock written by a runtime of record format 2 (structured
// cause and wait objects; site paths made relative): the analyzer's English
// reads as the older runtime's own.
TEST(TextReport, GoldenRuntimeDeadlockFormat2) {
  expect_golden("runtime_deadlock_v2.record", "runtime_deadlock_v2.txt");
  std::string v1 = render(test::load_fixture("runtime_deadlock.record"));
  std::string v2 = render(test::load_fixture("runtime_deadlock_v2.record"));
  auto detail = [](const std::string &text) { return text.substr(text.find("  no thread"), 150); };
  EXPECT_EQ(detail(v2), detail(v1));
}

TEST(TextReport, GoldenStarvation) { expect_golden("starvation.record", "starvation.txt"); }
TEST(TextReport, GoldenLivelock) { expect_golden("livelock.record", "livelock.txt"); }

bool has_line(const std::string &text, const std::string &line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (l == line) return true;
  return false;
}

TEST(TextReport, DataRaceLines) {
  std::string text = render(test::load_fixture("bank.record"));
  EXPECT_TRUE(has_line(
      text, "WARNING: racecheck: data race on checking.balance (bank.cpp:20 vs bank.cpp:15)"))
      << text;
  EXPECT_TRUE(has_line(text, "  Write of size 8 by thread T1:")) << text;
  EXPECT_TRUE(has_line(text, "    #0 Bank::deposit(int) bank.cpp:20:5")) << text;
  EXPECT_TRUE(has_line(text, "    #1 worker(void*) bank.cpp:31:3")) << text;
  EXPECT_TRUE(has_line(text, "    Locks held: mutex 'log_mutex' (acquired at bank.cpp:30)"))
      << text;
  EXPECT_TRUE(has_line(text, "  Previous read of size 8 by thread T0:")) << text;
  EXPECT_TRUE(has_line(text, "    Locks held: none")) << text;
  EXPECT_TRUE(
      has_line(text, "  Location: global 'checking.balance' of size 16 declared at bank.cpp:10"))
      << text;
  EXPECT_TRUE(has_line(text, "  Thread T1 created by T0 at:")) << text;
  EXPECT_TRUE(has_line(text, "SUMMARY: racecheck: 1 data race(s), 0 deadlock(s) (seed 7, strategy "
                             "random, 120 scheduling points)"))
      << text;
}

TEST(TextReport, HeapAtomicUnnamedLockAndNotes) {
  std::string text = render(test::load_fixture("heap_hang.record"));
  EXPECT_TRUE(has_line(text, "  Previous atomic write of size 4 by thread T0:")) << text;
  EXPECT_TRUE(
      has_line(text, "  Location: heap block of size 40 at offset 8, allocated by thread T0 at:"))
      << text;
  EXPECT_TRUE(has_line(text, "    Locks held: rwlock created at queue.c:53 by T1 (instance 2) "
                             "(read, acquired at queue.c:53)"))
      << text;
  EXPECT_TRUE(has_line(text, "    #1 sort_items queue.c (through uninstrumented code)")) << text;
  EXPECT_TRUE(has_line(text, "WARNING: racecheck: hang: no scheduling point for 60 s: a thread "
                             "spins in uninstrumented code"))
      << text;
  EXPECT_NE(text.find("determinism depends on that input"), std::string::npos) << text;
  EXPECT_TRUE(has_line(text, "racecheck: note: the program was terminated by signal 6 (SIGABRT)"))
      << text;
  EXPECT_TRUE(has_line(text, "SUMMARY: racecheck: 1 data race(s), 0 deadlock(s), 1 hang(s) (seed "
                             "42, strategy random, 999 scheduling points)"))
      << text;
}

// A race on mapped memory names the file and offset (or anonymous memory)
// and where it was mapped, in the text and the JSON alike.
TEST(TextReport, MappedMemoryNamesFileOffsetAndMmapCall) {
  Record record = test::load_fixture("use_after_free.record");
  Variable mapping;
  mapping.kind = VariableKind::Mapping;
  mapping.name = "/data/table.bin";
  mapping.offset = 4104;
  mapping.size = 4096;
  mapping.tid = 0;
  mapping.site = record.findings[0].variable->site;
  mapping.stack = record.findings[0].variable->stack;
  record.findings[0].variable = mapping;
  std::string text = render(record);
  EXPECT_NE(text.find("data race on mapping of /data/table.bin at file offset 4104 ("),
            std::string::npos)
      << text;
  EXPECT_TRUE(has_line(text, "  Location: mapping of /data/table.bin at file offset 4104, 4096 "
                             "bytes mapped by thread T0 at:"))
      << text;
  nlohmann::ordered_json j = json_report(record)["findings"][0]["variable"];
  EXPECT_EQ(j["kind"], "mapping");
  EXPECT_EQ(j["file"], "/data/table.bin");
  EXPECT_EQ(j["offset"], 4104);
  EXPECT_EQ(j["mapped_by"], "T0");
  record.findings[0].variable->name = "";
  EXPECT_TRUE(has_line(render(record), "  Location: anonymous mapping of size 4096 at offset 4104, "
                                       "4096 bytes mapped by thread T0 at:"));
  EXPECT_TRUE(json_report(record)["findings"][0]["variable"]["file"].is_null());
}

TEST(TextReport, FreedHeapBlockLineUnknownAndPaths) {
  test::ScopedDisplayBase base("/home/dev/pool");
  std::string text = render(test::load_fixture("use_after_free.record"));
  EXPECT_TRUE(has_line(text, "WARNING: racecheck: data race on heap block of size 512 at offset 8, "
                             "freed by thread T0 at /usr/include/pool_helpers.h:7 "
                             "(src/pool.c vs src/pool.c:26)"))
      << text;
  // Line 0 at a known call site: the optimizer dropped the line; the frame
  // was not reached through uninstrumented code.
  EXPECT_TRUE(has_line(text, "    #0 read_late src/pool.c (line unknown)")) << text;
  EXPECT_EQ(text.find("uninstrumented"), std::string::npos) << text;
  EXPECT_TRUE(
      has_line(text, "  Location: heap block of size 512 at offset 8, allocated by thread T0 at:"))
      << text;
  EXPECT_TRUE(has_line(text, "  and freed by thread T0 at:")) << text;
  EXPECT_TRUE(has_line(text, "    #0 release_block /usr/include/pool_helpers.h:7:5")) << text;
  EXPECT_TRUE(has_line(text, "    #1 main src/pool.c:26:3")) << text;
}

TEST(TextReport, PathsOutsideTheBaseStayAbsolute) {
  test::ScopedDisplayBase base("/elsewhere");
  std::string text = render(test::load_fixture("use_after_free.record"));
  EXPECT_TRUE(has_line(text, "    #1 main /home/dev/pool/src/pool.c:26:3")) << text;
}

TEST(TextReport, DeadlockLines) {
  std::string text = render(test::load_fixture("deadlock.record"));
  EXPECT_TRUE(has_line(text, "WARNING: racecheck: deadlock (2 threads blocked)")) << text;
  EXPECT_TRUE(has_line(text, "  Thread T1 blocked in pthread_mutex_lock, waiting for mutex 'b':"))
      << text;
  EXPECT_TRUE(has_line(text, "    Locks held: mutex 'a' (acquired at dl.c:9)")) << text;
  EXPECT_TRUE(has_line(text, "SUMMARY: racecheck: 0 data race(s), 1 deadlock(s) (seed 3, strategy "
                             "random, 17 scheduling points)"))
      << text;
}

TEST(TextReport, NoAddressesOrPids) {
  for (const char *name :
       {"counter.record", "bank.record", "deadlock.record", "heap_hang.record",
        "runtime_bank.record", "runtime_deadlock.record", "runtime_deadlock_v2.record"}) {
    std::string text = render(test::load_fixture(name));
    EXPECT_EQ(text.find("0x"), std::string::npos) << name;
    EXPECT_EQ(text.find("pid"), std::string::npos) << name;
  }
}

TEST(TextReport, CleanRunPrintsOnlyTheSummaryOrNothingWhenQuiet) {
  Record r =
      test::parse("racecheck-record\t1\nmeta\tseed\t5\nmeta\tstrategy\trandom\nend-record\n");
  EXPECT_EQ(render(r), "SUMMARY: racecheck: 0 data race(s), 0 deadlock(s) (seed 5, strategy "
                       "random, 0 scheduling points)\n");
  TextReportOptions quiet;
  quiet.quiet = true;
  EXPECT_EQ(render(r, quiet), "");
}

}  // namespace
}  // namespace racecheck

namespace racecheck {
namespace {

// One data race per variable kind the fixtures lack, plus the kinds that
// only carry details.
const char kVariableKinds[] = "racecheck-record\t1\n"
                              "site\t0\tv.c\tf\t3\t5\t-1\n"
                              "thread\t0\t-1\t-1\t-1\n"
                              "thread\t1\t0\t0\t0\n"
                              "finding\tdata-race\n"
                              "access\tcurrent\t1\twrite\t0\t4\t0\t0\t0\n"
                              "access\tprevious\t0\tread\t0\t4\t0\t0\t0\n"
                              "variable\tstack\t0\n"
                              "end\n"
                              "finding\tdata-race\n"
                              "access\tcurrent\t1\twrite\t0\t4\t0\t0\t0\n"
                              "access\tprevious\t0\tread\t0\t4\t0\t0\t0\n"
                              "variable\ttls\t1\n"
                              "end\n"
                              "finding\tdata-race\n"
                              "access\tcurrent\t1\twrite\t0\t4\t0\t0\t0\n"
                              "access\tprevious\t0\tread\t0\t4\t0\t0\t0\n"
                              "variable\tunknown\n"
                              "end\n"
                              "finding\tlock-order-cycle\n"
                              "detail\tm1 -> m2 -> m1\n"
                              "end\n"
                              "finding\tcrash\n"
                              "end\n"
                              "end-record\n";

TEST(TextReport, EveryVariableKindAndDetailOnlyFindings) {
  std::ostringstream out;
  write_text_report(out, test::parse(kVariableKinds));
  std::string text = out.str();
  EXPECT_TRUE(has_line(text, "WARNING: racecheck: data race on stack of T0 (v.c:3 vs v.c:3)"))
      << text;
  EXPECT_TRUE(has_line(text, "  Location: stack of thread T0")) << text;
  EXPECT_TRUE(has_line(
      text, "WARNING: racecheck: data race on thread-local storage of T1 (v.c:3 vs v.c:3)"))
      << text;
  EXPECT_TRUE(has_line(text, "  Location: thread-local storage of thread T1")) << text;
  EXPECT_TRUE(has_line(text, "WARNING: racecheck: data race on unknown memory (v.c:3 vs v.c:3)"))
      << text;
  EXPECT_TRUE(has_line(text, "WARNING: racecheck: lock-order cycle: m1 -> m2 -> m1")) << text;
  EXPECT_TRUE(has_line(text, "WARNING: racecheck: crash")) << text;
  EXPECT_TRUE(
      has_line(text, "SUMMARY: racecheck: 3 data race(s), 0 deadlock(s), 1 lock-order cycle(s), 1 "
                     "crash(es) (seed 0, strategy unknown, 0 scheduling points)"))
      << text;
}

// Races on file descriptors: one created where racecheck saw it, one not.
const char kFdRaces[] = "racecheck-record\t2\n"
                        "site\t0\tv.c\tmain\t3\t5\t-1\n"
                        "site\t1\tv.c\tworker\t9\t5\t-1\n"
                        "thread\t0\t-1\t-1\t-1\n"
                        "thread\t1\t0\t0\t0\n"
                        "finding\tdata-race\n"
                        "access\tcurrent\t1\tread\t0\t8\t1\t0\t0\n"
                        "access\tprevious\t0\twrite\t0\t8\t0\t0\t0\n"
                        "variable\tfd\t5\tpipe\t0\t0\t0\n"
                        "end\n"
                        "finding\tdata-race\n"
                        "access\tcurrent\t1\tread\t0\t8\t1\t0\t0\n"
                        "access\tprevious\t0\twrite\t0\t8\t0\t0\t0\n"
                        "variable\tfd\t1\tunknown\t-1\t-1\t0\n"
                        "end\n"
                        "end-record\n";

TEST(TextReport, RacesOnFileDescriptorsNameTheDescriptorAndItsCreation) {
  std::string text = render(test::parse(kFdRaces));
  EXPECT_TRUE(has_line(text, "WARNING: racecheck: data race on file descriptor 5 (pipe) (v.c:9 "
                             "vs v.c:3)"))
      << text;
  EXPECT_TRUE(has_line(text, "  Location: file descriptor 5 (pipe), created by thread T0 at:"))
      << text;
  EXPECT_TRUE(has_line(text, "WARNING: racecheck: data race on file descriptor 1 (v.c:9 vs v.c:3)"))
      << text;
  EXPECT_TRUE(
      has_line(text, "  Location: file descriptor 1, opened where racecheck did not see it"))
      << text;
}

TEST(TextReport, StarvationNamesThreadResourceBypassersAndTable) {
  std::string text = render(test::load_fixture("starvation.record"));
  EXPECT_TRUE(has_line(text, "WARNING: racecheck: starvation: T3 was bypassed 196 times while "
                             "waiting for rwlock `rw` (1902 scheduling points, threshold 50)"))
      << text;
  EXPECT_TRUE(has_line(text, "  Thread T3 starved in rwlock write lock, waiting for rwlock `rw`:"))
      << text;
  EXPECT_TRUE(has_line(text, "    #0 writer rw.c:40:5")) << text;
  EXPECT_TRUE(
      has_line(text, "  Bypassed 196 times in one wait of 1902 scheduling points (threshold 50):"))
      << text;
  EXPECT_TRUE(has_line(
      text, "  Thread T1 acquired it 98 times while T3 waited (rwlock read lock), last at:"))
      << text;
  EXPECT_TRUE(has_line(text, "    thread  acquisitions  bypassed T3  longest wait (steps)"))
      << text;
  EXPECT_TRUE(has_line(text, "    T3                 1            0  1902")) << text;
  EXPECT_EQ(text.find("Counts:"), std::string::npos) << text;
  EXPECT_TRUE(has_line(text, "SUMMARY: racecheck: 0 data race(s), 0 deadlock(s), 1 starvation(s) "
                             "(seed 4, strategy random, 2210 scheduling points)"))
      << text;
}

TEST(TextReport, LivelockShowsEachThreadsRepeatingOperationsAndLocks) {
  std::string text = render(test::load_fixture("livelock.record"));
  EXPECT_TRUE(has_line(text, "  A cycle of 6 scheduling steps repeated 50 times without progress "
                             "(it began after 112 steps)."))
      << text;
  EXPECT_TRUE(has_line(text, "  Thread T1 repeats:")) << text;
  EXPECT_TRUE(has_line(text, "    mutex trylock on mutex `b` at polite.c:13")) << text;
  EXPECT_TRUE(has_line(text, "      Locks held: mutex 'a' (acquired at polite.c:12)")) << text;
  EXPECT_TRUE(has_line(text, "  first repeating operation of T2 at:")) << text;
}

TEST(TextReport, UnknownCountsAreListed) {
  Record r = test::load_fixture("starvation.record");
  r.findings[0].counts.push_back({"spins", 7});
  std::string text = render(r);
  EXPECT_TRUE(has_line(text, "  Counts: bypasses=196, waited_steps=1902, threshold=50, spins=7"))
      << text;
}

}  // namespace
}  // namespace racecheck
