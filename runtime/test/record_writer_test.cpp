// record_writer_test.cpp — the run record (record_writer.c) for a hand-built
// run, compared byte for byte with docs/record-format.md: entry order, dense
// ids in first-reference order, -1 for none, and string escaping; and every
// entry written checked against the format's one table
// (racecheck/record_format.h).
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "racecheck/record_format.h"
#include "test_support.h"

namespace racecheck {
namespace {

std::string ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One row of racecheck/record_format.h's tables.
struct FormatEntry {
  const char *name;
  size_t min, max;
};
#define RC_FORMAT_ROW(id, name, min, max, order) {name, min, max},
const FormatEntry kEntries[] = {RC_RECORD_ENTRIES(RC_FORMAT_ROW)};
const FormatEntry kVariableKinds[] = {RC_RECORD_VARIABLE_KINDS(RC_FORMAT_ROW)};
const FormatEntry kCauses[] = {RC_RECORD_CAUSES(RC_FORMAT_ROW)};
#undef RC_FORMAT_ROW

// The table allows MIN or MAX fields, or at least MIN for a list.
bool CountAllowed(const FormatEntry &row, size_t count) {
  return count == row.min || count == row.max ||
         (row.max == RC_RECORD_FIELDS_ANY && count > row.min);
}

template <size_t N>
const FormatEntry *FindRow(const FormatEntry (&table)[N], const std::string &name) {
  for (const FormatEntry &row : table)
    if (name == row.name) return &row;
  return nullptr;
}

std::vector<std::string> SplitFields(const std::string &line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
  if (!line.empty() && line.back() == '\t') fields.push_back("");
  return fields;
}

class RecordWriterTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    char tmpl[] = "/tmp/racecheck-record-test-XXXXXX";
    int fd = mkstemp(tmpl);
    ASSERT_GE(fd, 0);
    close(fd);
    path_ = tmpl;
    saved_options_ = g_rt.options;
    g_rt.options.record = path_.c_str();
    g_rt.options.seed = 7;
    g_rt.options.strategy = "random";
    g_rt.program = "./prog";
    g_rt.steps = 12;
    g_rt.switches = 3;
    g_rt.io_leaves = 0;
    g_rt.instrumented_modules = 2;
  }
  void TearDown() override {
    unlink(path_.c_str());
    g_rt.options = saved_options_;
    g_rt.program = nullptr;
    RuntimeTest::TearDown();
  }
  // A run with two threads, a lock held in a lockset, a race on a global, a
  // deadlock and a race on a heap block: every kind of id and reference.
  void BuildFullRun() {
    const rc_site *main_fn = NewSite("m.c", "main", 10, 0);
    const rc_site *create = NewSite("m.c", "main", 20, 7);
    const rc_site *worker_fn = NewSite("dir\\with\ttab.c", "f\nn", 30, 0);
    const rc_site *write1 = NewSite("m.c", "worker", 32, 5);
    const rc_site *lock_init = NewSite("m.c", "main", 12, 3);
    const rc_site *lock_acquire = NewSite("m.c", "worker", 31, 3);
    const rc_site *inlined_into = NewSite("m.c", "main", 25, 9);
    const rc_site *write0 = NewSite("m.h", "helper", 4, 2, inlined_into);
    const rc_site *helper_fn = NewSite("m.h", "helper", 3, 0);
    const rc_site *helper_call = NewSite("m.c", "main", 24, 3);
    const rc_site *decl = NewSite("m.c", "", 2, 0);
    const rc_site *wait = NewSite("m.c", "main", 40, 3);
    const rc_site *unused = NewSite("m.c", "unused", 99, 0);
    (void)unused;  // never referenced: must not appear

    rc_stack_id main_stack = rc_stack_push(0, main_fn, nullptr);
    rc_stack_id worker_stack = rc_stack_push(0, worker_fn, nullptr);
    rc_stack_id helper_stack = rc_stack_push(main_stack, helper_fn, helper_call);
    rc_stack_push(helper_stack, main_fn, nullptr);  // unused node

    rc_fake_locks[0] =
        rc_lock_info{0, RC_SYNC_MUTEX, "m_lock", lock_init, main_stack, 0, 0, "mutex"};
    rc_fake_locks[1] = rc_lock_info{1, RC_SYNC_RWLOCK, nullptr, lock_init, 0, 1, 2, nullptr};
    rc_fake_n_locks = 2;
    rc_held_lock held{0, lock_acquire, worker_stack, true};
    rc_lockset_id worker_locks = rc_lockset_with_held(0, &held);

    rc_thread *t0 = NewThread(0, UINT32_MAX);
    rc_thread *t1 = NewThread(1, 0);
    t1->create_site = create;
    t1->create_stack = main_stack;
    AddToRuntime(t0);
    AddToRuntime(t1);

    auto *race = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
    race->kind = RC_FINDING_DATA_RACE;
    race->accesses[0] = rc_access{1, true, false, 4, write1, worker_stack, worker_locks};
    race->accesses[1] = rc_access{0, false, true, 8, write0, helper_stack, 0};
    race->variable.kind = RC_VAR_GLOBAL;
    race->variable.name = "account";
    snprintf(race->variable.field, sizeof race->variable.field, "balance");
    race->variable.offset = 0;
    race->variable.size = 16;
    race->variable.site = decl;
    rc_add_finding(race);

    auto *deadlock = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
    deadlock->kind = RC_FINDING_DEADLOCK;
    deadlock->n_waiters = 1;
    deadlock->waiters = static_cast<rc_waiter *>(rc_alloc(sizeof(rc_waiter)));
    rc_waiter *w = &deadlock->waiters[0];
    *w = rc_waiter{0, RC_OP_MUTEX_LOCK, wait, main_stack};
    w->lockset = worker_locks;
    w->object = RC_RECORD_WAIT_LOCK;
    w->object_id = 0;
    w->has_holder = true;
    w->holder = 1;
    w->n_held = 2;
    w->first_held_lock = 0;
    deadlock->cause.set = true;
    deadlock->cause.kind = RC_RECORD_CAUSE_DEADLOCK;
    deadlock->cause.headline = RC_RECORD_HEADLINE_NO_PROGRESS;
    rc_add_finding(deadlock);

    auto *heap_race = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
    heap_race->kind = RC_FINDING_DATA_RACE;
    heap_race->accesses[0] = rc_access{0, true, false, 1, wait, 0, 0};
    heap_race->accesses[1] = rc_access{1, true, false, 1, write1, worker_stack, worker_locks};
    heap_race->variable.kind = RC_VAR_HEAP;
    heap_race->variable.offset = 3;
    heap_race->variable.size = 32;
    heap_race->variable.tid = 1;
    heap_race->variable.site = nullptr;
    heap_race->variable.stack = worker_stack;
    rc_add_finding(heap_race);
  }

  // What BuildFullRun lacks to write every entry, variable kind, cause and
  // wait object of the format: a lock-order edge with its fork-join clock, a
  // starvation finding with counts and thread statistics, races on stack, TLS
  // and unknown memory, a finding per cause, a waiter per wait object.
  void AddTheOtherEntries() {
    rc_thread *t0 = g_rt.threads[0], *t1 = g_rt.threads[1];
    rc_fork_join_on_create(t0, t1);
    const rc_site *at = NewSite("m.c", "worker", 50, 1);
    t1->held = static_cast<rc_held_lock *>(rc_alloc(sizeof(rc_held_lock)));
    t1->held[0] = rc_held_lock{0, at, 0, true};
    t1->n_held = t1->held_cap = 1;
    t1->lockset = rc_lockset_with_held(0, &t1->held[0]);
    rc_lock_order_acquire(t1, 1, at, false, RC_LOCK_WAIT_TRY);
    auto *starved = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
    starved->kind = RC_FINDING_STARVATION;
    starved->counts[starved->n_counts++] = rc_finding_count{"bypasses", 120};
    starved->n_thread_stats = 1;
    starved->thread_stats = static_cast<rc_thread_stat *>(rc_alloc(sizeof(rc_thread_stat)));
    starved->thread_stats[0] = rc_thread_stat{0, 130, 120, 3};
    rc_add_finding(starved);
    auto *faulted = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
    faulted->kind = RC_FINDING_CRASH;
    faulted->fault_pc = 0x5555555551a4;
    faulted->fault_module_base = 0x555555554000;
    faulted->fault_module = "/bin/prog";
    rc_add_finding(faulted);
    for (int c = 0; c < RC_RECORD_CAUSE_COUNT; ++c) {
      auto *f = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
      f->kind = RC_FINDING_HANG;
      f->cause = rc_cause{true, static_cast<rc_record_cause>(c),     1, 3, {9, 8, 7},
                          at,   "an uncaught exception of type E\t1"};
      f->n_waiters = RC_RECORD_WAIT_OBJECT_COUNT;
      f->waiters = static_cast<rc_waiter *>(rc_alloc(f->n_waiters * sizeof(rc_waiter)));
      for (uint32_t w = 0; w < f->n_waiters; ++w) {
        f->waiters[w] = rc_waiter{1, RC_OP_MUTEX_LOCK, at, 0};
        f->waiters[w].object = static_cast<rc_record_wait_object>(w);
        f->waiters[w].object_id = 1;
        f->waiters[w].object_name = w % 2 ? "flag" : nullptr;
      }
      rc_add_finding(f);
    }
    for (rc_variable_kind kind : {RC_VAR_STACK, RC_VAR_TLS, RC_VAR_MAPPING, RC_VAR_UNKNOWN}) {
      auto *race = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
      race->kind = RC_FINDING_DATA_RACE;
      race->accesses[0] = rc_access{0, true, false, 4, at, 0, 0};
      race->accesses[1] = rc_access{1, true, false, 4, at, 0, 0};
      race->variable.kind = kind;
      if (kind == RC_VAR_MAPPING) { /* a file mapping, mapped by T1 at `at` */
        race->variable.name = "/data/table.bin";
        race->variable.offset = 4104;
        race->variable.size = 4096;
        race->variable.tid = 1;
        race->variable.site = at;
      }
      rc_add_finding(race);
    }
    auto *fd_race = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
    fd_race->kind = RC_FINDING_DATA_RACE;
    fd_race->accesses[0] = rc_access{0, true, false, 8, at, 0, 0};
    fd_race->accesses[1] = rc_access{1, false, false, 8, at, 0, 0};
    fd_race->variable.kind = RC_VAR_FD;
    fd_race->variable.fd = 5;
    fd_race->variable.fd_kind = RC_RECORD_FD_PIPE;
    fd_race->variable.tid = 1;
    fd_race->variable.site = at;
    rc_add_finding(fd_race);
  }

  std::string path_;
  rc_options saved_options_;
};

TEST_F(RecordWriterTest, EmptyRunHasHeaderMetaThreadsAndEnd) {
  rc_thread *t0 = NewThread(0, UINT32_MAX);
  AddToRuntime(t0);
  rc_write_record(0, 0);
  EXPECT_EQ(ReadFile(path_), "racecheck-record\t2\n"
                             "meta\tprogram\t./prog\n"
                             "meta\tseed\t7\n"
                             "meta\tstrategy\trandom\n"
                             "meta\texit_status\t0\n"
                             "meta\texit_signal\t0\n"
                             "meta\tthreads\t1\n"
                             "meta\tscheduling_points\t12\n"
                             "meta\tswitches\t3\n"
                             "meta\tio_leaves\t0\n"
                             "meta\tinstrumented_modules\t2\n"
                             "meta\tabi_version\t1\n"
                             "thread\t0\t-1\t-1\t-1\n"
                             "end-record\n");
}

// A forked child's record says its fork path after the other meta entries.
TEST_F(RecordWriterTest, ForkedChildRecordNamesItsProcess) {
  rc_thread *t0 = NewThread(0, UINT32_MAX);
  AddToRuntime(t0);
  snprintf(g_rt.process, sizeof g_rt.process, "1.2");
  rc_write_record(0, 0);
  g_rt.process[0] = 0;
  std::string text = ReadFile(path_);
  EXPECT_NE(text.find("meta\tabi_version\t1\n"
                      "meta\tprocess\t1.2\n"
                      "thread\t0"),
            std::string::npos)
      << text;
}

TEST_F(RecordWriterTest, FullRecordInFirstReferenceOrder) {
  BuildFullRun();
  rc_write_record(-1, 6);

  // Ids by first reference: T1's creation (site 0, stack 1 -> site 1), the
  // race's current access (site 2, stack 2 -> site 3, lockset 1 -> lock 0 ->
  // site 4, then its acquisition site 5), the previous access (inlined_at
  // site 6 before site 7; stack 3 -> sites 8 and 9), the declaration
  // (site 10), the waiter (site 11).
  EXPECT_EQ(ReadFile(path_), "racecheck-record\t2\n"
                             "meta\tprogram\t./prog\n"
                             "meta\tseed\t7\n"
                             "meta\tstrategy\trandom\n"
                             "meta\texit_status\t-1\n"
                             "meta\texit_signal\t6\n"
                             "meta\tthreads\t2\n"
                             "meta\tscheduling_points\t12\n"
                             "meta\tswitches\t3\n"
                             "meta\tio_leaves\t0\n"
                             "meta\tinstrumented_modules\t2\n"
                             "meta\tabi_version\t1\n"
                             "site\t0\tm.c\tmain\t20\t7\t-1\n"
                             "site\t1\tm.c\tmain\t10\t0\t-1\n"
                             "site\t2\tm.c\tworker\t32\t5\t-1\n"
                             "site\t3\tdir\\\\with\\ttab.c\tf\\nn\t30\t0\t-1\n"
                             "site\t4\tm.c\tmain\t12\t3\t-1\n"
                             "site\t5\tm.c\tworker\t31\t3\t-1\n"
                             "site\t6\tm.c\tmain\t25\t9\t-1\n"
                             "site\t7\tm.h\thelper\t4\t2\t6\n"
                             "site\t8\tm.h\thelper\t3\t0\t-1\n"
                             "site\t9\tm.c\tmain\t24\t3\t-1\n"
                             "site\t10\tm.c\t\t2\t0\t-1\n"
                             "site\t11\tm.c\tmain\t40\t3\t-1\n"
                             "stack\t1\t1:-1\n"
                             "stack\t2\t3:-1\n"
                             "stack\t3\t8:9\t1:-1\n"
                             "thread\t0\t-1\t-1\t-1\n"
                             "thread\t1\t0\t0\t1\n"
                             "lock\t0\tmutex\tm_lock\t4\t1\t0\t0\n"
                             "lockset\t1\t0:5:2:w\n"
                             "finding\tdata-race\n"
                             "access\tcurrent\t1\twrite\t0\t4\t2\t2\t1\n"
                             "access\tprevious\t0\tread\t1\t8\t7\t3\t0\n"
                             "variable\tglobal\taccount\tbalance\t0\t16\t10\n"
                             "end\n"
                             "finding\tdeadlock\n"
                             "waiter\t0\tmutex_lock\tlock:0\t11\t1\t1\n"
                             "cause\tdeadlock\tno-progress\t0:1:0:2\n"
                             "end\n"
                             "finding\tdata-race\n"
                             "access\tcurrent\t0\twrite\t0\t1\t11\t0\t0\n"
                             "access\tprevious\t1\twrite\t0\t1\t2\t2\t1\n"
                             "variable\theap\t3\t32\t1\t-1\t2\n"
                             "end\n"
                             "end-record\n");
}

// The writer writes exactly the entries of the format's table, each with a
// field count the table allows: an entry added to the writer alone, or to the
// table alone, fails here (the analyzer's record_reader_test checks the
// reader against the same table).
TEST_F(RecordWriterTest, WritesExactlyTheEntriesOfTheFormatTable) {
  BuildFullRun();
  AddTheOtherEntries();
  snprintf(g_rt.process, sizeof g_rt.process, "1"); /* a forked child's */
  rc_write_record(0, 0);
  g_rt.process[0] = 0;
  std::istringstream record(ReadFile(path_));
  std::string line;
  ASSERT_TRUE(std::getline(record, line));
  EXPECT_EQ(line, RC_RECORD_FORMAT_NAME "\t" + std::to_string(RC_RECORD_FORMAT_VERSION));
  std::set<std::string> written, variable_kinds, causes, wait_objects;
  std::vector<std::string> meta_keys;
  while (std::getline(record, line)) {
    std::vector<std::string> fields = SplitFields(line);
    const FormatEntry *entry = FindRow(kEntries, fields[0]);
    ASSERT_NE(entry, nullptr) << "not in racecheck/record_format.h: " << line;
    EXPECT_TRUE(CountAllowed(*entry, fields.size() - 1)) << line;
    written.insert(fields[0]);
    if (fields[0] == rc_record_entry_name(RC_RECORD_META)) meta_keys.push_back(fields[1]);
    if (fields[0] == rc_record_entry_name(RC_RECORD_WAITER))
      wait_objects.insert(fields[3].substr(0, fields[3].find(':')));
    if (fields[0] == rc_record_entry_name(RC_RECORD_CAUSE)) {
      const FormatEntry *cause = FindRow(kCauses, fields[1]);
      ASSERT_NE(cause, nullptr) << "cause not in the table: " << line;
      EXPECT_TRUE(CountAllowed(*cause, fields.size() - 1)) << line;
      causes.insert(fields[1]);
    }
    if (fields[0] != rc_record_entry_name(RC_RECORD_VARIABLE)) continue;
    const FormatEntry *kind = FindRow(kVariableKinds, fields[1]);
    ASSERT_NE(kind, nullptr) << "variable kind not in the table: " << line;
    EXPECT_TRUE(CountAllowed(*kind, fields.size() - 1)) << line;
    variable_kinds.insert(fields[1]);
  }
  for (const FormatEntry &entry : kEntries)
    EXPECT_TRUE(written.count(entry.name)) << "the writer never wrote `" << entry.name << "`";
  for (const FormatEntry &kind : kVariableKinds)
    EXPECT_TRUE(variable_kinds.count(kind.name)) << "no `variable " << kind.name << "`";
  for (const FormatEntry &cause : kCauses)
    EXPECT_TRUE(causes.count(cause.name)) << "no `cause " << cause.name << "`";
  for (int k = 0; k < RC_RECORD_WAIT_OBJECT_COUNT; ++k) {
    std::string kind = rc_record_wait_object_name(static_cast<rc_record_wait_object>(k));
    EXPECT_TRUE(wait_objects.count(kind)) << "no waiter waits for a `" << kind << "`";
  }
  std::vector<std::string> table_keys;
  for (int k = 0; k < RC_RECORD_META_KEY_COUNT; ++k)
    table_keys.push_back(rc_record_meta_key_name(static_cast<rc_record_meta_key>(k)));
  EXPECT_EQ(meta_keys, table_keys) << "the meta keys, in the table's order";
}

TEST_F(RecordWriterTest, SameRunGivesTheSameBytes) {
  rc_thread *t0 = NewThread(0, UINT32_MAX);
  AddToRuntime(t0);
  auto *race = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
  race->kind = RC_FINDING_DATA_RACE;
  const rc_site *s = NewSite("x.c", "x", 1);
  race->accesses[0] = rc_access{0, true, false, 4, s, 0, 0};
  race->accesses[1] = rc_access{0, true, false, 4, s, 0, 0};
  race->variable.kind = RC_VAR_STACK;
  race->variable.tid = 0;
  rc_add_finding(race);
  rc_write_record(0, 0);
  std::string first = ReadFile(path_);
  rc_write_record(0, 0);
  EXPECT_EQ(ReadFile(path_), first);
  EXPECT_NE(first.find("variable\tstack\t0\n"), std::string::npos);
  EXPECT_EQ(first.substr(first.size() - 11), "end-record\n");
}

// Livelock/starvation evidence: `count` and `thread-stat` lines after the
// cause, in the finding's order.
TEST_F(RecordWriterTest, StarvationCountsAndThreadStats) {
  rc_thread *t0 = NewThread(0, UINT32_MAX);
  rc_thread *t1 = NewThread(1, 0);
  AddToRuntime(t0);
  AddToRuntime(t1);
  const rc_site *wait = NewSite("s.c", "writer", 40, 5);
  auto *f = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
  f->kind = RC_FINDING_STARVATION;
  f->n_waiters = 1;
  f->waiters = static_cast<rc_waiter *>(rc_alloc(sizeof(rc_waiter)));
  f->waiters[0] = rc_waiter{1, RC_OP_MUTEX_LOCK, wait, 0};
  f->waiters[0].object = RC_RECORD_WAIT_SPIN;
  f->waiters[0].object_name = "flag";
  f->cause = rc_cause{true, RC_RECORD_CAUSE_STARVATION, 1, 3, {120, 900, 50}};
  f->counts[f->n_counts++] = rc_finding_count{"bypasses", 120};
  f->counts[f->n_counts++] = rc_finding_count{"waited_steps", 900};
  f->n_thread_stats = 2;
  f->thread_stats = static_cast<rc_thread_stat *>(rc_alloc(2 * sizeof(rc_thread_stat)));
  f->thread_stats[0] = rc_thread_stat{0, 130, 120, 3};
  f->thread_stats[1] = rc_thread_stat{1, 1, 0, 900};
  rc_add_finding(f);
  rc_write_record(0, 0);
  std::string record = ReadFile(path_);
  EXPECT_NE(record.find("finding\tstarvation\n"
                        "waiter\t1\tmutex_lock\tspin:flag\t0\t0\n"
                        "cause\tstarvation\t1\t120\t900\t50\n"
                        "count\tbypasses\t120\n"
                        "count\twaited_steps\t900\n"
                        "thread-stat\t0\t130\t120\t3\n"
                        "thread-stat\t1\t1\t0\t900\n"
                        "end\n"),
            std::string::npos)
      << record;
}

// A crash by a fault: the trapping pc, its module's base and path, last in
// the finding.
TEST_F(RecordWriterTest, CrashFaultLocation) {
  AddToRuntime(NewThread(0, UINT32_MAX));
  auto *f = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
  f->kind = RC_FINDING_CRASH;
  f->cause = rc_cause{true, RC_RECORD_CAUSE_SIGNAL, 0, 1, {11}};
  f->fault_pc = 4198772;
  f->fault_module_base = 4194304;
  f->fault_module = "/tmp/a b/prog";
  rc_add_finding(f);
  rc_write_record(139, 11);
  std::string record = ReadFile(path_);
  EXPECT_NE(record.find("finding\tcrash\n"
                        "cause\tsignal\t0\t11\n"
                        "fault\t4198772\t4194304\t/tmp/a b/prog\n"
                        "end\n"),
            std::string::npos)
      << record;
}

// Misuse: the cause's case and objects (-1: none), the offending call as
// the first waiter, named by its variable when it has no lock identity.
TEST_F(RecordWriterTest, MisuseCauseAndOffendingCall) {
  AddToRuntime(NewThread(0, UINT32_MAX));
  AddToRuntime(NewThread(1, 0));
  const rc_site *unlock = NewSite("m.c", "worker", 12, 3);
  auto *f = static_cast<rc_finding *>(rc_alloc(sizeof(rc_finding)));
  f->kind = RC_FINDING_MISUSE;
  f->n_waiters = 1;
  f->waiters = static_cast<rc_waiter *>(rc_alloc(sizeof(rc_waiter)));
  f->waiters[0] = rc_waiter{1, RC_OP_MUTEX_UNLOCK, unlock, 0};
  f->waiters[0].object = RC_RECORD_WAIT_OBJECT;
  f->waiters[0].object_name = "table_lock";
  f->cause = rc_cause{true,
                      RC_RECORD_CAUSE_MISUSE,
                      1,
                      4,
                      {RC_RECORD_MISUSE_UNLOCK_OTHER, UINT32_MAX, 0, UINT32_MAX}};
  rc_add_finding(f);
  rc_write_record(0, 0);
  std::string record = ReadFile(path_);
  EXPECT_NE(record.find("finding\tmisuse\n"
                        "waiter\t1\top\tobject:table_lock\t0\t0\n"
                        "cause\tmisuse\tunlock-other-thread\t1\t-1\t0\t-1\n"
                        "end\n"),
            std::string::npos)
      << record;
}

TEST_F(RecordWriterTest, NoPathWritesNothing) {
  g_rt.options.record = "";
  unlink(path_.c_str());
  rc_write_record(0, 0);
  EXPECT_NE(access(path_.c_str(), F_OK), 0);
}

}  // namespace
}  // namespace racecheck
