// record_reader_test.cpp — parsing valid records and rejecting malformed ones
// with the expected message and line number; the reader checked against the
// format's one table (racecheck/record_format.h).
#include <gtest/gtest.h>

#include <regex>

#include "fault_symbolizer.h"
#include "racecheck/record_format.h"
#include "record_reader.h"
#include "test_data.h"

namespace racecheck {
namespace {

using test::load_fixture;
using test::parse;

TEST(RecordReader, FixtureIsTheExampleOfTheFormatDocument) {
  std::string doc = test::read_file(std::string(RACECHECK_SOURCE_DIR) + "/docs/record-format.md");
  size_t start = doc.find("```\nracecheck-record");
  ASSERT_NE(start, std::string::npos);
  start += 4;
  size_t end = doc.find("```", start);
  EXPECT_EQ(doc.substr(start, end - start), test::read_file(test::data_path("counter.record")));
}

TEST(RecordReader, ParsesTheDocumentExample) {
  Record r = load_fixture("counter.record");
  EXPECT_EQ(r.meta.program, "./counter");
  EXPECT_EQ(r.meta.seed, 0u);
  EXPECT_EQ(r.meta.strategy, "random");
  EXPECT_EQ(r.meta.threads, 3u);
  EXPECT_EQ(r.meta.scheduling_points, 2012u);
  EXPECT_EQ(r.meta.switches, 1003u);
  ASSERT_EQ(r.sites.size(), 5u);
  EXPECT_EQ(r.site(0).file, "counter.c");
  EXPECT_EQ(r.site(0).function, "worker");
  EXPECT_EQ(r.site(0).line, 9u);
  EXPECT_EQ(r.site(0).column, 12u);
  EXPECT_EQ(r.site(0).inlined_at, kNoId);
  ASSERT_NE(r.stack(1), nullptr);
  ASSERT_EQ(r.stack(1)->frames.size(), 1u);
  EXPECT_EQ(r.stack(1)->frames[0].function_site, 1);
  EXPECT_EQ(r.stack(1)->frames[0].call_site, kNoId);
  ASSERT_EQ(r.threads.size(), 3u);
  EXPECT_EQ(r.thread(2)->parent, 0);
  EXPECT_EQ(r.thread(2)->create_site, 2);
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding &f = r.findings[0];
  EXPECT_EQ(f.kind, FindingKind::DataRace);
  ASSERT_EQ(f.accesses.size(), 2u);
  EXPECT_EQ(f.accesses[0].role, AccessRole::Current);
  EXPECT_EQ(f.accesses[0].tid, 2);
  EXPECT_TRUE(f.accesses[0].write);
  EXPECT_FALSE(f.accesses[0].atomic);
  EXPECT_EQ(f.accesses[0].size, 4u);
  EXPECT_EQ(f.accesses[1].tid, 1);
  ASSERT_TRUE(f.variable.has_value());
  EXPECT_EQ(f.variable->kind, VariableKind::Global);
  EXPECT_EQ(f.variable->name, "counter");
  EXPECT_EQ(f.variable->field, "");
  EXPECT_EQ(f.variable->size, 4u);
  EXPECT_EQ(f.variable->site, 4);
}

TEST(RecordReader, ParsesADeadlock) {
  Record r = load_fixture("deadlock.record");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding &f = r.findings[0];
  EXPECT_EQ(f.kind, FindingKind::Deadlock);
  ASSERT_EQ(f.waiters.size(), 2u);
  EXPECT_EQ(f.waiters[0].tid, 1);
  EXPECT_EQ(f.waiters[0].operation, "pthread_mutex_lock");
  EXPECT_EQ(f.waiters[0].object, "mutex 'b'");
  ASSERT_TRUE(f.waiters[0].lockset.has_value());
  EXPECT_EQ(*f.waiters[0].lockset, 1);
  ASSERT_EQ(r.lockset(2)->locks.size(), 1u);
  EXPECT_EQ(r.lockset(2)->locks[0].lock, 1);
  EXPECT_TRUE(r.lockset(2)->locks[0].exclusive);
  EXPECT_EQ(r.lock(1).name, "b");
  EXPECT_EQ(r.meta.exit_status, -1);
  ASSERT_EQ(f.details.size(), 1u);
}

TEST(RecordReader, SkipsUnknownEntriesKeepsUnknownMetaAndUnescapes) {
  Record r = load_fixture("heap_hang.record");
  EXPECT_EQ(r.meta.other.at("future_key"), "kept");
  EXPECT_EQ(r.meta.io_leaves, 3u);
  EXPECT_EQ(r.meta.exit_signal, 6);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[1].kind, FindingKind::Hang);
  EXPECT_EQ(r.findings[1].details[1], "last positions:\n  T1 consumer queue.c:58");
  EXPECT_FALSE(r.findings[1].waiters[0].lockset.has_value());
  EXPECT_FALSE(r.lockset(1)->locks[0].exclusive);
  EXPECT_EQ(r.findings[0].variable->kind, VariableKind::Heap);
  EXPECT_EQ(r.findings[0].variable->offset, 8u);
  EXPECT_EQ(r.findings[0].variable->size, 40u);
  EXPECT_TRUE(r.findings[0].accesses[1].atomic);
}

TEST(RecordReader, EscapesRoundTrip) {
  Record r = parse("racecheck-record\t1\nsite\t0\tdir\\\\a\\tb.c\tf\t1\t2\t-1\nend-record\n");
  EXPECT_EQ(r.site(0).file, "dir\\a\tb.c");
}

TEST(RecordReader, AcceptsAMinorVersionAndAMissingFinalNewline) {
  Record r = parse("racecheck-record\t1.3\nend-record");
  EXPECT_TRUE(r.findings.empty());
}

TEST(RecordReader, HeapVariableWithAndWithoutTheFreeFields) {
  Record live = load_fixture("heap_hang.record");
  ASSERT_TRUE(live.findings[0].variable);
  EXPECT_FALSE(live.findings[0].variable->freed);
  EXPECT_EQ(live.findings[0].variable->free_tid, kNoId);

  Record freed = load_fixture("use_after_free.record");
  ASSERT_TRUE(freed.findings[0].variable);
  const Variable &v = *freed.findings[0].variable;
  EXPECT_EQ(v.kind, VariableKind::Heap);
  EXPECT_EQ(v.offset, 8u);
  EXPECT_EQ(v.size, 512u);
  EXPECT_EQ(v.tid, 0);
  EXPECT_EQ(v.site, 4);
  EXPECT_EQ(v.stack, 2);
  EXPECT_TRUE(v.freed);
  EXPECT_EQ(v.free_tid, 0);
  EXPECT_EQ(v.free_site, 6);
  EXPECT_EQ(v.free_stack, 3);
}

TEST(RecordReader, MisuseKeepsItsCaseAndComposesItsHeadline) {
  Record r =
      parse("racecheck-record\t2\nthread\t0\t-1\t-1\t-1\nthread\t1\t0\t-1\t-1\n"
            "lock\t0\tmutex\tjob_lock\t-1\t-1\t0\t0\nfinding\tmisuse\n"
            "waiter\t0\tmutex_unlock\tlock:0\t-1\t-1\nwaiter\t1\tmutex_lock\tlock:0\t-1\t-1\n"
            "cause\tmisuse\tunlock-other-thread\t0\t0\t1\t-1\nend\nend-record\n");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding &f = r.findings[0];
  EXPECT_EQ(f.kind, FindingKind::Misuse);
  EXPECT_EQ(f.misuse_case, "unlock-other-thread");
  ASSERT_EQ(f.waiters.size(), 2u);
  EXPECT_EQ(f.details.at(0),
            "T0 unlocks mutex `job_lock`, which T1 holds (only the owner may unlock it)");
}

TEST(RecordReader, MappingVariableOfAFileAndOfAnonymousMemory) {
  const std::string head = "racecheck-record\t2\nthread\t0\t-1\t-1\t-1\nfinding\thang\n";
  Record file =
      parse(head + "variable\tmapping\t/data/t.bin\t4104\t4096\t0\t-1\t-1\nend\n" + "end-record\n");
  ASSERT_TRUE(file.findings[0].variable);
  const Variable &v = *file.findings[0].variable;
  EXPECT_EQ(v.kind, VariableKind::Mapping);
  EXPECT_EQ(v.name, "/data/t.bin");
  EXPECT_EQ(v.offset, 4104u);
  EXPECT_EQ(v.size, 4096u);
  EXPECT_EQ(v.tid, 0);
  Record anonymous = parse(head + "variable\tmapping\t\t8\t8192\t0\t-1\t-1\nend\nend-record\n");
  EXPECT_EQ(anonymous.findings[0].variable->name, "");
  EXPECT_THROW(parse(head + "variable\tmapping\t/x\t8\t8192\t0\t-1\nend\nend-record\n"),
               RecordError);
}

struct MalformedCase {
  const char *name;
  std::string text;
  int line;             // expected line of the error (0: none)
  const char *message;  // regex the message must contain
};

class Malformed : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(Malformed, GivesAClearErrorWithTheLine) {
  const MalformedCase &c = GetParam();
  try {
    parse(c.text);
    FAIL() << "accepted a malformed record";
  } catch (const RecordError &e) {
    EXPECT_EQ(e.line(), c.line) << e.what();
    EXPECT_TRUE(std::regex_search(e.message(), std::regex(c.message)))
        << "message: " << e.message() << "\nexpected: " << c.message;
    std::string prefix = c.line ? "<test>:" + std::to_string(c.line) + ": " : "<test>: ";
    EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0u) << e.what();
  }
}

const std::string H = "racecheck-record\t1\n";
const std::string S0 = "site\t0\ta.c\tf\t1\t1\t-1\n";
const std::string T0 = "thread\t0\t-1\t-1\t-1\n";

INSTANTIATE_TEST_SUITE_P(
    RecordReader, Malformed,
    ::testing::Values(
        MalformedCase{"Empty", "", 0, "the record is empty"},
        MalformedCase{"NotARecord", "hello\tworld\n", 1, "not a racecheck run record"},
        MalformedCase{
            "WrongVersion", "racecheck-record\t3\nend-record\n", 1,
            "unsupported record format version 3 \\(this racecheck reads versions 1 to 2\\)"},
        MalformedCase{"VersionZero", "racecheck-record\t0\nend-record\n", 1,
                      "unsupported record format version 0"},
        MalformedCase{"BadVersion", "racecheck-record\tx\nend-record\n", 1,
                      "invalid record format version 'x'"},
        MalformedCase{"Truncated", H + S0 + T0, 0,
                      "record is truncated: the program died before racecheck could finish "
                      "writing it"},
        MalformedCase{"TruncatedInFinding", H + S0 + T0 + "finding\tdata-race\n", 0,
                      "record is truncated"},
        MalformedCase{"SiteFieldCount", H + "site\t0\ta.c\tf\t1\t1\nend-record\n", 2,
                      "`site` needs 6 field\\(s\\), got 5"},
        MalformedCase{"BadNumber", H + "site\t0\ta.c\tf\tten\t1\t-1\nend-record\n", 2,
                      "invalid line 'ten'"},
        MalformedCase{"DanglingInlinedAt", H + "site\t0\ta.c\tf\t1\t1\t5\nend-record\n", 2,
                      "dangling inlined_at site id 5"},
        MalformedCase{"DanglingStackSite", H + S0 + "stack\t1\t0:7\nend-record\n", 3,
                      "dangling call site id 7"},
        MalformedCase{"BadFrame", H + S0 + "stack\t1\t0\nend-record\n", 3,
                      "invalid stack frame '0'"},
        MalformedCase{"DuplicateSite", H + S0 + S0 + "end-record\n", 3, "duplicate `site` id 0"},
        MalformedCase{"DanglingParent", H + "thread\t1\t0\t-1\t-1\nend-record\n", 2,
                      "dangling parent thread id 0"},
        MalformedCase{"DanglingLock", H + S0 + "lockset\t1\t3:0:0:w\nend-record\n", 3,
                      "dangling lock id 3"},
        MalformedCase{"DanglingSyncOrderVia", H + "sync-order-clock\t0\t4\t1\nend-record\n", 2,
                      "dangling lock id 4"},
        MalformedCase{"DanglingSyncOrderClock",
                      H + S0 + T0 +
                          "lock\t0\tmutex\tm\t0\t0\t0\t0\nlock\t1\tmutex\tn\t0\t0\t0\t0\n"
                          "lockset\t1\t0:0:0:w\nfork-join-clock\t0\t1\n"
                          "lock-edge\t0\t0\t0\t0\tw\t1\t0\t0\tw\tblock\t1\t0\t2\n"
                          "end-record\n",
                      8, "dangling sync-order clock id 2"},
        MalformedCase{"BadLockMode",
                      H + S0 + T0 +
                          "lock\t0\tmutex\tm\t0\t0\t0\t0\nlockset\t1\t0:0:0:x\nend-record\n",
                      5, "invalid lock mode 'x'"},
        MalformedCase{"AccessOutsideFinding",
                      H + S0 + T0 + "access\tcurrent\t0\twrite\t0\t4\t0\t0\t0\n", 4,
                      "`access` outside a finding"},
        MalformedCase{"DanglingAccessThread",
                      H + S0 + T0 +
                          "finding\tdata-race\naccess\tcurrent\t3\twrite\t0\t4\t0\t0\t0\n",
                      5, "dangling thread id 3"},
        MalformedCase{"DanglingLockset",
                      H + S0 + T0 +
                          "finding\tdata-race\naccess\tcurrent\t0\twrite\t0\t4\t0\t0\t9\n",
                      5, "dangling lockset id 9"},
        MalformedCase{"BadAccessType",
                      H + S0 + T0 + "finding\tdata-race\naccess\tcurrent\t0\tpoke\t0\t4\t0\t0\t0\n",
                      5, "invalid access type 'poke'"},
        MalformedCase{
            "RaceWithOneAccess",
            H + S0 + T0 +
                "finding\tdata-race\naccess\tcurrent\t0\twrite\t0\t4\t0\t0\t0\nend\nend-record\n",
            6, "needs exactly one `current` then one `previous` access"},
        MalformedCase{"UnknownKind", H + "finding\tmystery\nend\nend-record\n", 2,
                      "unknown finding kind 'mystery'"},
        MalformedCase{"NestedFinding", H + "finding\thang\nfinding\thang\n", 3,
                      "before the previous finding \\(line 2\\) was closed"},
        MalformedCase{"EndRecordInFinding", H + "finding\thang\nend-record\n", 3,
                      "`end-record` inside the finding opened at line 2"},
        MalformedCase{"BadVariableKind", H + "finding\thang\nvariable\tregister\n", 3,
                      "unknown variable kind 'register'"},
        MalformedCase{"VariableFieldCount", H + "finding\thang\nvariable\tglobal\tx\n", 3,
                      "`variable` needs 6 field\\(s\\), got 2"},
        MalformedCase{"HeapVariableFieldCount",
                      H + T0 + "finding\thang\nvariable\theap\t8\t40\t0\t-1\t-1\t0\t-1\n", 4,
                      "`variable heap` needs 6 or 9 field\\(s\\), got 8"},
        MalformedCase{"DanglingFreeingThread",
                      H + T0 + "finding\thang\nvariable\theap\t8\t40\t0\t-1\t-1\t4\t-1\t-1\n", 4,
                      "dangling freeing thread id 4"},
        MalformedCase{"BadFdKind", H + T0 + "finding\thang\nvariable\tfd\t3\tdoor\t0\t-1\t0\n", 4,
                      "unknown descriptor kind 'door'"},
        MalformedCase{"WaiterFieldCount", H + T0 + "finding\tdeadlock\nwaiter\t0\tlock\n", 4,
                      "`waiter` needs 5 or 6 field\\(s\\), got 2"},
        MalformedCase{"CountOutsideFinding", H + "count\tbypasses\t3\n", 2,
                      "`count` outside a finding"},
        MalformedCase{"CountFieldCount", H + "finding\tstarvation\ncount\tbypasses\n", 3,
                      "`count` needs 2 field\\(s\\), got 1"},
        MalformedCase{"BadCountName", H + "finding\tstarvation\ncount\tBy-passes\t3\n", 3,
                      "invalid count name 'By-passes'"},
        MalformedCase{"BadCountValue", H + "finding\tstarvation\ncount\tbypasses\t-3\n", 3,
                      "invalid count value '-3'"},
        MalformedCase{"DuplicateCount",
                      H + "finding\tlivelock\ncount\trepetitions\t3\ncount\trepetitions\t4\n", 4,
                      "duplicate count 'repetitions'"},
        MalformedCase{"ThreadStatFieldCount",
                      H + T0 + "finding\tstarvation\nthread-stat\t0\t1\t2\n", 4,
                      "`thread-stat` needs 4 field\\(s\\), got 3"},
        MalformedCase{"DanglingThreadStat",
                      H + T0 + "finding\tstarvation\nthread-stat\t5\t1\t0\t0\n", 4,
                      "dangling thread id 5"},
        MalformedCase{"DuplicateThreadStat",
                      H + T0 +
                          "finding\tstarvation\nthread-stat\t0\t1\t0\t0\nthread-stat\t0\t1\t0\t0\n",
                      5, "duplicate `thread-stat` for thread 0"},
        MalformedCase{"BadEscape", H + "site\t0\ta\\q.c\tf\t1\t1\t-1\nend-record\n", 2,
                      "invalid escape '\\\\q'"},
        MalformedCase{"ContentAfterEnd", H + "end-record\nsite\t0\ta.c\tf\t1\t1\t-1\n", 3,
                      "unexpected content after `end-record`"},
        MalformedCase{"BadMeta", H + "meta\tseed\tminus-one\nend-record\n", 2,
                      "invalid meta seed 'minus-one'"}),
    [](const ::testing::TestParamInfo<MalformedCase> &info) {
      return std::string(info.param.name);
    });

TEST(RecordReader, ParsesCountsAndThreadStats) {
  Record r = load_fixture("starvation.record");
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding &f = r.findings[0];
  EXPECT_EQ(f.kind, FindingKind::Starvation);
  ASSERT_EQ(f.counts.size(), 3u);
  EXPECT_EQ(f.counts[0].name, "bypasses");
  EXPECT_EQ(f.count("waited_steps"), std::optional<uint64_t>(1902));
  EXPECT_EQ(f.count("threshold"), std::optional<uint64_t>(50));
  EXPECT_FALSE(f.count("repetitions"));
  ASSERT_EQ(f.thread_stats.size(), 3u);
  EXPECT_EQ(f.thread_stats[2].tid, 3);
  EXPECT_EQ(f.thread_stats[2].acquisitions, 1u);
  EXPECT_EQ(f.thread_stats[2].bypasses, 0u);
  EXPECT_EQ(f.thread_stats[2].longest_wait_steps, 1902u);
  // Records without the entries (older runtimes) read as findings without them.
  EXPECT_TRUE(load_fixture("deadlock.record").findings[0].counts.empty());
}

// A crash's `fault`: its numbers and module kept; a module that is not there
// has no frames (the symbolizer finds nothing), and the address falls back
// to pc - base.
TEST(RecordReader, ParsesACrashFault) {
  Record r =
      parse("racecheck-record\t1\nthread\t0\t-1\t-1\t-1\nfinding\tcrash\n"
            "cause\tsignal\t0\t11\nfault\t4198772\t4194304\t/nonexistent/prog\nend\nend-record\n");
  ASSERT_EQ(r.findings.size(), 1u);
  ASSERT_TRUE(r.findings[0].fault);
  const Fault &fault = *r.findings[0].fault;
  EXPECT_EQ(fault.pc, 4198772u);
  EXPECT_EQ(fault.module_base, 4194304u);
  EXPECT_EQ(fault.module, "/nonexistent/prog");
  EXPECT_EQ(fault.address, 4198772u - 4194304u);
  EXPECT_TRUE(fault.frames.empty());
  EXPECT_FALSE(load_fixture("deadlock.record").findings[0].fault);
}

TEST(FaultSymbolizer, ParsesInlinedFramesInnermostFirst) {
  std::vector<SourceFrame> frames = parse_symbolizer_output(
      "_ZL12phase_weighti\n/src/trap.cpp:18:3\nmonitor\n/src/trap:x.cpp:30:22\n??\n??:0:0\n\n");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].function, "phase_weight(int)");
  EXPECT_EQ(frames[0].mangled, "_ZL12phase_weighti");
  EXPECT_EQ(frames[0].line, 18u);
  EXPECT_EQ(frames[0].column, 3u);
  EXPECT_TRUE(frames[0].inlined);
  EXPECT_EQ(frames[1].function, "monitor");
  EXPECT_EQ(frames[1].file, "/src/trap:x.cpp");
  EXPECT_EQ(frames[1].line, 30u);
  EXPECT_FALSE(frames[1].inlined);
}

// One row of racecheck/record_format.h's entry or variable-kind table.
struct FormatRow {
  const char *name;
  size_t min, max;
};
#define RC_FORMAT_ROW(id, name, min, max, order) {name, min, max},
const FormatRow kEntryRows[] = {RC_RECORD_ENTRIES(RC_FORMAT_ROW)};
const FormatRow kVariableKindRows[] = {RC_RECORD_VARIABLE_KINDS(RC_FORMAT_ROW)};
const FormatRow kOlderEntryRows[] = {RC_RECORD_ENTRIES_V1(RC_FORMAT_ROW)};
const FormatRow kCauseRows[] = {RC_RECORD_CAUSES(RC_FORMAT_ROW)};
#undef RC_FORMAT_ROW

// `line` (with `count` fields) appended to `prefix` (the header and
// `line_number - 2` lines) must be refused with the table's count message.
void ExpectCountRefused(const std::string &prefix, int line_number, const std::string &line,
                        const std::string &label, const FormatRow &row, size_t count) {
  std::string needs = row.max == RC_RECORD_FIELDS_ANY ? "at least " + std::to_string(row.min)
                      : row.min == row.max
                          ? std::to_string(row.min)
                          : std::to_string(row.min) + " or " + std::to_string(row.max);
  try {
    parse(prefix + line + "\nend-record\n");
    ADD_FAILURE() << "accepted `" << line << "`";
  } catch (const RecordError &e) {
    EXPECT_EQ(e.line(), line_number) << e.what();
    EXPECT_EQ(e.message(),
              "`" + label + "` needs " + needs + " field(s), got " + std::to_string(count));
  }
}

// Every entry of racecheck/record_format.h is one the reader knows (an
// unknown entry would be skipped without an error) and it checks the
// table's field counts: a line with one field too many (or, for a list, one
// too few) is refused with the table's numbers. An entry added to the table
// without the reader, or read with other counts, fails here; the runtime's
// record_writer_test checks the writer against the same table.
TEST(RecordReader, ReadsExactlyTheEntriesOfTheFormatTable) {
  std::vector<FormatRow> rows(std::begin(kEntryRows), std::end(kEntryRows));
  rows.insert(rows.end(), std::begin(kOlderEntryRows), std::end(kOlderEntryRows));
  for (const FormatRow &row : rows) {
    const size_t count = row.max == RC_RECORD_FIELDS_ANY ? row.min - 1 : row.max + 1;
    std::string line = row.name;
    for (size_t i = 0; i < count; ++i) line += "\t0";
    ExpectCountRefused(RC_RECORD_FORMAT_NAME "\t1\n", 2, line, row.name, row, count);
  }
}

// The same for the kinds of `variable` (the kind counts as a field); a kind
// with optional fields names itself in the message.
TEST(RecordReader, ReadsExactlyTheVariableKindsOfTheFormatTable) {
  for (const FormatRow &row : kVariableKindRows) {
    std::string line = std::string("variable\t") + row.name;
    for (size_t i = 1; i <= row.max; ++i) line += "\t0";
    std::string label = row.min == row.max ? "variable" : std::string("variable ") + row.name;
    ExpectCountRefused(RC_RECORD_FORMAT_NAME "\t1\nfinding\thang\n", 3, line, label, row,
                       row.max + 1);
  }
}

// The same for the causes (the cause counts as a field): each names itself.
TEST(RecordReader, ReadsExactlyTheCausesOfTheFormatTable) {
  for (const FormatRow &row : kCauseRows) {
    const size_t count = row.max == RC_RECORD_FIELDS_ANY ? row.min - 1 : row.max + 1;
    std::string line = std::string("cause\t") + row.name;
    for (size_t i = 1; i < count; ++i) line += "\t0";
    ExpectCountRefused(RC_RECORD_FORMAT_NAME "\t2\nfinding\thang\n", 3, line,
                       std::string("cause ") + row.name, row, count);
  }
}

// Every finding kind and meta key of the table is one the analyzer knows.
TEST(RecordReader, KnowsEveryFindingKindAndMetaKeyOfTheFormatTable) {
  for (int k = 0; k < RC_RECORD_FINDING_KIND_COUNT; ++k) {
    std::string name = rc_record_finding_kind_name(static_cast<rc_record_finding_kind>(k));
    std::optional<FindingKind> kind = parse_finding_kind(name);
    ASSERT_TRUE(kind) << name;
    EXPECT_EQ(finding_kind_name(*kind), name);
  }
  std::string text = RC_RECORD_FORMAT_NAME "\t1\n";
  for (int k = 0; k < RC_RECORD_META_KEY_COUNT; ++k)
    text += std::string("meta\t") + rc_record_meta_key_name(static_cast<rc_record_meta_key>(k)) +
            "\t7\n";
  Record r = parse(text + "end-record\n");
  EXPECT_TRUE(r.meta.other.empty()) << r.meta.other.begin()->first;
  EXPECT_EQ(r.meta.abi_version, 7u);
  EXPECT_EQ(r.meta.program, "7");
}

TEST(RecordReader, ProcessIsAForkPath) {
  const std::string head = RC_RECORD_FORMAT_NAME "\t2\n";
  EXPECT_EQ(parse(head + "end-record\n").meta.process, "");
  EXPECT_EQ(parse(head + "meta\tprocess\t1\nend-record\n").meta.process, "1");
  EXPECT_EQ(parse(head + "meta\tprocess\t3.12\nend-record\n").meta.process, "3.12");
  for (const char *bad : {"0", "1.", "a", "1..2", "-1", ""})
    EXPECT_THROW(parse(head + "meta\tprocess\t" + bad + "\nend-record\n"), RecordError) << bad;
}

TEST(RecordReader, MissingFileIsAClearError) {
  try {
    read_record_file("/nonexistent/run.record");
    FAIL();
  } catch (const RecordError &e) {
    EXPECT_EQ(std::string(e.what()),
              "/nonexistent/run.record: cannot open the record: No such file or directory");
  }
}

// The optional sync-order clock of a lock edge, and the clock with its via.
TEST(RecordReader, ReadsSyncOrderClocksAndTheEdgesThatUseThem) {
  Record r = parse(H + S0 + T0 +
                   "lock\t0\tmutex\tm\t0\t0\t0\t0\nlock\t1\tsem\tgate\t0\t0\t0\t0\n"
                   "lockset\t1\t0:0:0:w\nfork-join-clock\t0\t1\n"
                   "sync-order-clock\t0\t1\t3\t2\nsync-order-clock\t1\t-1\t1\n"
                   "lock-edge\t0\t0\t0\t0\tw\t0\t0\t0\tw\tblock\t1\t0\t0\n"
                   "lock-edge\t0\t0\t0\t0\tw\t0\t0\t0\tw\tblock\t1\t0\t-1\n"
                   "lock-edge\t0\t0\t0\t0\tw\t0\t0\t0\tw\tblock\t1\t0\n"
                   "end-record\n");
  ASSERT_EQ(r.sync_order_clocks.size(), 2u);
  EXPECT_EQ(r.sync_order_clocks.at(0).via, 1);
  EXPECT_EQ(r.sync_order_clocks.at(0).at(0), 3u);
  EXPECT_EQ(r.sync_order_clocks.at(0).at(1), 2u);
  EXPECT_EQ(r.sync_order_clocks.at(1).via, kNoId);
  ASSERT_EQ(r.lock_edges.size(), 3u);
  EXPECT_EQ(r.lock_edges[0].sync_order_clock, 0);
  EXPECT_EQ(r.lock_edges[1].sync_order_clock, kNoId);
  EXPECT_EQ(r.lock_edges[2].sync_order_clock, kNoId);
}

}  // namespace
}  // namespace racecheck
