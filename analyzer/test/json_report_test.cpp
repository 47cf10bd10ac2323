// json_report_test.cpp — the JSON schema of docs/report-format.md.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>

#include "json_report.h"
#include "test_data.h"
#include "version.h"

namespace racecheck {
namespace {

using Json = nlohmann::ordered_json;

void expect_location(const Json &j, const std::string &where) {
  ASSERT_TRUE(j.is_object()) << where << ": " << j.dump();
  EXPECT_TRUE(j.at("file").is_string()) << where;
  EXPECT_TRUE(j.at("line").is_number_unsigned()) << where;
  EXPECT_TRUE(j.at("column").is_number_unsigned()) << where;
  EXPECT_TRUE(j.at("function").is_string()) << where;
  if (j.contains("mangled")) EXPECT_NE(j["mangled"], j["function"]) << where;
}

void expect_stack(const Json &j, const std::string &where) {
  ASSERT_TRUE(j.is_array()) << where;
  for (size_t i = 0; i < j.size(); ++i)
    expect_location(j[i], where + "[" + std::to_string(i) + "]");
}

void expect_locks(const Json &j, const std::string &where) {
  ASSERT_TRUE(j.is_array()) << where;
  for (const Json &l : j) {
    EXPECT_TRUE(l.at("name").is_string());
    EXPECT_TRUE(l.at("kind").is_string());
    EXPECT_TRUE(l.at("mode") == "write" || l.at("mode") == "read");
    expect_location(l.at("acquired_at"), where + ".acquired_at");
  }
}

void expect_schema(const Json &doc) {
  EXPECT_EQ(doc.at("tool"), "racecheck");
  EXPECT_EQ(doc.at("schema_version"), 1);
  EXPECT_EQ(doc.at("version"), kRacecheckVersion);
  EXPECT_TRUE(doc.at("program").is_string());
  EXPECT_TRUE(doc.at("seed").is_number_unsigned());
  EXPECT_TRUE(doc.at("strategy").is_string());
  EXPECT_TRUE(doc.at("exit_status").is_number_integer());
  EXPECT_TRUE(doc.at("exit_signal").is_number_integer());
  for (const char *k : {"threads", "scheduling_points", "switches", "io_leaves"})
    EXPECT_TRUE(doc.at("stats").at(k).is_number_unsigned()) << k;
  for (const Json &f : doc.at("findings")) {
    std::string kind = f.at("kind");
    EXPECT_EQ(f.at("fingerprint").get<std::string>().size(), 16u);
    EXPECT_TRUE(f.at("message").is_string());
    for (const Json &a : f.at("accesses")) {
      EXPECT_TRUE(a.at("role") == "current" || a.at("role") == "previous");
      EXPECT_EQ(a.at("thread").get<std::string>().front(), 'T');
      EXPECT_TRUE(a.at("access") == "write" || a.at("access") == "read");
      EXPECT_TRUE(a.at("size").is_number_unsigned());
      EXPECT_TRUE(a.at("atomic").is_boolean());
      expect_location(a.at("location"), kind + ".location");
      expect_stack(a.at("stack"), kind + ".stack");
      EXPECT_EQ(a.at("stack").at(0).at("line"), a.at("location").at("line"));
      expect_locks(a.at("locks_held"), kind + ".locks_held");
    }
    for (const Json &w : f.at("waiters")) {
      EXPECT_TRUE(w.at("operation").is_string());
      EXPECT_TRUE(w.at("object").is_string());
      expect_location(w.at("location"), "waiter.location");
      expect_stack(w.at("stack"), "waiter.stack");
      if (!w.at("locks_held").is_null()) expect_locks(w.at("locks_held"), "waiter.locks_held");
    }
    if (kind == "livelock" || kind == "starvation") {
      EXPECT_TRUE(f.at("counts").is_object()) << kind;
      for (const auto &[name, value] : f.at("counts").items())
        EXPECT_TRUE(value.is_number_unsigned()) << name;
      for (const Json &st : f.at("thread_stats")) {
        EXPECT_EQ(st.at("thread").get<std::string>().front(), 'T');
        for (const char *k : {"acquisitions", "bypasses", "longest_wait_steps"})
          EXPECT_TRUE(st.at(k).is_number_unsigned()) << k;
      }
    } else {
      EXPECT_FALSE(f.contains("counts")) << kind;
    }
    for (const Json &t : f.at("threads")) {
      EXPECT_TRUE(t.at("thread").is_string());
      if (!t.at("created_by").is_null()) {
        expect_location(t.at("created_at"), "thread.created_at");
        expect_stack(t.at("stack"), "thread.stack");
      }
    }
    if (f.contains("variable")) {
      const Json &v = f["variable"];
      std::string vk = v.at("kind");
      if (vk == "global") {
        EXPECT_TRUE(v.at("name").is_string());
        expect_location(v.at("declared_at"), "variable.declared_at");
      } else if (vk == "heap") {
        expect_location(v.at("allocated_at"), "variable.allocated_at");
        expect_stack(v.at("allocation_stack"), "variable.allocation_stack");
        EXPECT_TRUE(v.at("allocated_by").is_string());
        EXPECT_TRUE(v.at("freed").is_boolean());
        if (v.at("freed") == true) {
          expect_location(v.at("freed_at"), "variable.freed_at");
          EXPECT_TRUE(v.at("freed_by").is_string());
          expect_stack(v.at("free_stack"), "variable.free_stack");
        }
      }
    }
  }
}

TEST(JsonReport, SchemaOfEveryFixture) {
  for (const char *name :
       {"counter.record", "bank.record", "deadlock.record", "heap_hang.record",
        "runtime_bank.record", "runtime_deadlock.record", "runtime_deadlock_v2.record",
        "use_after_free.record", "starvation.record", "livelock.record"}) {
    SCOPED_TRACE(name);
    expect_schema(json_report(test::load_fixture(name)));
  }
}

TEST(JsonReport, DataRaceContent) {
  Json doc = json_report(test::load_fixture("bank.record"));
  EXPECT_EQ(doc["program"], "./bank");
  EXPECT_EQ(doc["seed"], 7);
  EXPECT_EQ(doc["stats"]["scheduling_points"], 120);
  const Json &f = doc["findings"][0];
  EXPECT_EQ(f["kind"], "data-race");
  EXPECT_EQ(f["message"], "data race on checking.balance (bank.cpp:20 vs bank.cpp:15)");
  EXPECT_EQ(f["variable"]["name"], "checking.balance");
  EXPECT_EQ(f["variable"]["field"], "balance");
  EXPECT_EQ(f["variable"]["size"], 16);
  const Json &cur = f["accesses"][0];
  EXPECT_EQ(cur["role"], "current");
  EXPECT_EQ(cur["thread"], "T1");
  EXPECT_EQ(cur["access"], "write");
  EXPECT_EQ(cur["location"]["function"], "Bank::deposit(int)");
  EXPECT_EQ(cur["location"]["mangled"], "_ZN4Bank7depositEi");
  ASSERT_EQ(cur["stack"].size(), 2u);
  EXPECT_EQ(cur["stack"][0]["inlined"], true);
  EXPECT_EQ(cur["stack"][1]["function"], "worker(void*)");
  EXPECT_EQ(cur["locks_held"][0]["name"], "log_mutex");
  EXPECT_EQ(cur["locks_held"][0]["acquired_at"]["line"], 30);
  EXPECT_EQ(f["accesses"][1]["location"].contains("mangled"), true);
  EXPECT_EQ(f["threads"][0]["thread"], "T1");
  EXPECT_EQ(f["threads"][0]["created_by"], "T0");
  EXPECT_EQ(f["threads"][1]["thread"], "T0");
  EXPECT_TRUE(f["threads"][1]["created_by"].is_null());
}

// A forked child's findings say which process found them: its fork order,
// or a grandchild's fork path; the same race is another finding there.
TEST(JsonReport, ForkedChildFindingsNameTheirProcess) {
  Record record = test::load_fixture("bank.record");
  const std::string parent_fingerprint = json_report(record)["findings"][0]["fingerprint"];
  EXPECT_FALSE(json_report(record)["findings"][0].contains("process"));
  record.meta.process = "1";
  Json child = json_report(record)["findings"][0];
  EXPECT_EQ(child["process"], 1);
  EXPECT_NE(child["fingerprint"], parent_fingerprint);
  record.meta.process = "1.2";
  EXPECT_EQ(json_report(record)["findings"][0]["process"], "1.2");
}

TEST(JsonReport, FreedHeapBlockAndRelativePaths) {
  test::ScopedDisplayBase base("/home/dev/pool");
  Json doc = json_report(test::load_fixture("use_after_free.record"));
  const Json &f = doc["findings"][0];
  const Json &v = f["variable"];
  EXPECT_EQ(v["kind"], "heap");
  EXPECT_EQ(v["freed"], true);
  EXPECT_EQ(v["freed_by"], "T0");
  EXPECT_EQ(v["freed_at"]["file"], "/usr/include/pool_helpers.h");
  EXPECT_EQ(v["freed_at"]["line"], 7);
  ASSERT_EQ(v["free_stack"].size(), 2u);
  EXPECT_EQ(v["free_stack"][1]["function"], "main");
  EXPECT_EQ(v["free_stack"][1]["file"], "src/pool.c");
  EXPECT_EQ(v["description"], "heap block of size 512 at offset 8, freed by thread T0 at "
                              "/usr/include/pool_helpers.h:7");
  EXPECT_EQ(v["allocated_at"]["file"], "src/pool.c");
  // Line 0 from the optimizer is not "through uninstrumented code".
  const Json &read = f["accesses"][0]["stack"][0];
  EXPECT_EQ(read["line"], 0);
  EXPECT_FALSE(read.contains("through_uninstrumented_code"));
}

TEST(JsonReport, FramesReachedThroughUninstrumentedCodeAreMarked) {
  Json doc = json_report(test::load_fixture("heap_hang.record"));
  // compare <- (qsort) <- sort_items <- consumer
  const Json &stack = doc["findings"][0]["accesses"][0]["stack"];
  ASSERT_EQ(stack.size(), 3u);
  EXPECT_FALSE(stack[0].contains("through_uninstrumented_code"));
  EXPECT_EQ(stack[1]["through_uninstrumented_code"], true);
}

TEST(JsonReport, CNamesHaveNoMangledKey) {
  Json doc = json_report(test::load_fixture("counter.record"));
  const Json &loc = doc["findings"][0]["accesses"][0]["location"];
  EXPECT_EQ(loc["function"], "worker");
  EXPECT_FALSE(loc.contains("mangled"));
}

TEST(JsonReport, DeadlockWaiters) {
  Json doc = json_report(test::load_fixture("deadlock.record"));
  const Json &f = doc["findings"][0];
  EXPECT_EQ(f["kind"], "deadlock");
  ASSERT_EQ(f["waiters"].size(), 2u);
  EXPECT_EQ(f["waiters"][0]["thread"], "T1");
  EXPECT_EQ(f["waiters"][0]["operation"], "pthread_mutex_lock");
  EXPECT_EQ(f["waiters"][0]["object"], "mutex 'b'");
  EXPECT_EQ(f["waiters"][0]["location"]["line"], 10);
  EXPECT_EQ(f["waiters"][0]["locks_held"][0]["name"], "a");
}

TEST(JsonReport, StarvationCountsAndThreadStats) {
  Json doc = json_report(test::load_fixture("starvation.record"));
  const Json &f = doc["findings"][0];
  EXPECT_EQ(f["kind"], "starvation");
  EXPECT_EQ(f["message"],
            "starvation: T3 was bypassed 196 times while waiting for rwlock `rw` (1902 scheduling "
            "points, threshold 50)");
  EXPECT_EQ(f["counts"].dump(), R"({"bypasses":196,"waited_steps":1902,"threshold":50})");
  ASSERT_EQ(f["thread_stats"].size(), 3u);
  EXPECT_EQ(f["thread_stats"][0].dump(),
            R"({"thread":"T1","acquisitions":100,"bypasses":98,"longest_wait_steps":0})");
  EXPECT_EQ(f["thread_stats"][2]["longest_wait_steps"], 1902);
  ASSERT_EQ(f["waiters"].size(), 3u);
  EXPECT_EQ(f["waiters"][0]["thread"], "T3");
  EXPECT_EQ(f["waiters"][0]["object"], "rwlock `rw`");
  EXPECT_EQ(f["waiters"][0]["location"]["line"], 40);
  EXPECT_EQ(f["waiters"][0]["stack"][0]["function"], "writer");
  EXPECT_TRUE(f["waiters"][0]["locks_held"].is_null());
}

TEST(JsonReport, LivelockCountsAndCycle) {
  Json doc = json_report(test::load_fixture("livelock.record"));
  const Json &f = doc["findings"][0];
  EXPECT_EQ(f["kind"], "livelock");
  EXPECT_EQ(f["counts"]["repetitions"], 50);
  EXPECT_EQ(f["counts"]["cycle_steps"], 6);
  EXPECT_TRUE(f["thread_stats"].is_array());
  EXPECT_TRUE(f["thread_stats"].empty());
  ASSERT_EQ(f["waiters"].size(), 6u);
  EXPECT_EQ(f["waiters"][2]["operation"], "mutex trylock");
  EXPECT_EQ(f["waiters"][2]["locks_held"][0]["name"], "a");
}

TEST(JsonReport, OtherKindsHaveNoLivenessKeys) {
  Json doc = json_report(test::load_fixture("deadlock.record"));
  EXPECT_FALSE(doc["findings"][0].contains("counts"));
  EXPECT_FALSE(doc["findings"][0].contains("thread_stats"));
}

TEST(JsonReport, IsDeterministicAndParsesBack) {
  std::ostringstream a, b;
  write_json_report(a, test::load_fixture("heap_hang.record"));
  write_json_report(b, test::load_fixture("heap_hang.record"));
  EXPECT_EQ(a.str(), b.str());
  Json back = Json::parse(a.str());
  EXPECT_EQ(back["findings"][0]["variable"]["kind"], "heap");
  EXPECT_EQ(back["findings"][0]["variable"]["allocated_by"], "T0");
  EXPECT_TRUE(back["findings"][1]["waiters"][0]["locks_held"].is_null());
}

}  // namespace
}  // namespace racecheck
