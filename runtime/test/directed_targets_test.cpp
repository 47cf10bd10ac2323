// directed_targets_test.cpp — the directed strategy's targets
// (runtime/src/sched/directed_targets.c): parsing the targets file, and matching a
// thread's pending lock request by (thread ordinal, request position, wanted
// lock, held lock); locks by global name, or by first-use site, creator and
// ordinal when they have no name.
#include <cstring>
#include <string>

#include "test_support.h"

extern "C" {
#include "sched/directed_targets.h"
}

namespace racecheck {
namespace {

class DirectedTargetsTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    made_at_ = NewSite("/src/pool.c", "make_pool", 40, 3);
    // 0: 'a', 1: 'b', 2 and 3: unnamed, same first-use site, ordinals 0 and 1.
    rc_fake_locks[0] = rc_lock_info{0, RC_SYNC_MUTEX, "a", nullptr, 0, 0, 0, "mutex"};
    rc_fake_locks[1] = rc_lock_info{1, RC_SYNC_MUTEX, "b", nullptr, 0, 0, 0, "mutex"};
    rc_fake_locks[2] = rc_lock_info{2, RC_SYNC_MUTEX, nullptr, made_at_, 0, 1, 0, "mutex"};
    rc_fake_locks[3] = rc_lock_info{3, RC_SYNC_MUTEX, nullptr, made_at_, 0, 1, 1, "mutex"};
    rc_fake_n_locks = 4;
  }

  void Hold(rc_thread *t, uint32_t lock) {
    if (t->n_held == t->held_cap) {
      uint32_t cap = t->held_cap ? t->held_cap * 2 : 8;
      t->held = static_cast<rc_held_lock *>(
          rc_realloc(t->held, t->held_cap * sizeof *t->held, cap * sizeof *t->held));
      t->held_cap = cap;
    }
    t->held[t->n_held++] = rc_held_lock{lock, nullptr, 0, true};
  }

  // Parses `text`, expecting success and `n` targets.
  rc_directed_target *Parse(const std::string &text, uint32_t n) {
    buffer_ = text;
    rc_directed_target *targets = nullptr;
    uint32_t count = 0;
    char error[256] = "";
    EXPECT_TRUE(rc_directed_targets_parse(buffer_.data(), &targets, &count, error, sizeof error))
        << error;
    EXPECT_EQ(count, n);
    return targets;
  }

  const rc_site *made_at_ = nullptr;
  std::string buffer_;
};

TEST_F(DirectedTargetsTest, ParsesEveryFieldAndSkipsCommentsAndBlankLines) {
  rc_directed_target *t =
      Parse("# comment\n\n"
            "target\t2\t/src/x.c\t13\tb\t\t0\t0\t0\ta\t\t0\t0\t0\t3\n"
            "target\t1\t/src/y.c\t7\t\t/src/pool.c\t40\t1\t1\ta\t\t0\t0\t0\t0\n",
            2);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t[0].tid, 2u);
  EXPECT_STREQ(t[0].file, "/src/x.c");
  EXPECT_EQ(t[0].line, 13u);
  EXPECT_STREQ(t[0].wanted.name, "b");
  EXPECT_STREQ(t[0].held.name, "a");
  EXPECT_EQ(t[0].occurrence, 3u);
  EXPECT_STREQ(t[1].wanted.name, "");
  EXPECT_STREQ(t[1].wanted.file, "/src/pool.c");
  EXPECT_EQ(t[1].wanted.line, 40u);
  EXPECT_EQ(t[1].wanted.creator, 1u);
  EXPECT_EQ(t[1].wanted.ordinal, 1u);
  EXPECT_EQ(t[1].occurrence, 0u);
}

TEST_F(DirectedTargetsTest, RejectsMalformedLinesNamingTheLine) {
  const char *bad[] = {
      "target\t1\t/src/x.c\t13\tb\t\t0\t0\t0\ta\t\t0\t0\t0\n",            // a field short
      "target\t1\t/src/x.c\tx13\tb\t\t0\t0\t0\ta\t\t0\t0\t0\t0\n",        // line not a number
      "tar\t1\t/src/x.c\t13\tb\t\t0\t0\t0\ta\t\t0\t0\t0\t0\n",            // wrong entry name
      "target\t1\t/src/x.c\t13\tb\t\t0\t0\t0\ta\t\t0\t0\t0\t0\textra\n",  // a field too many
  };
  for (const char *text : bad) {
    std::string copy = std::string("# first\n") + text;
    rc_directed_target *targets = nullptr;
    uint32_t count = 0;
    char error[256] = "";
    EXPECT_FALSE(rc_directed_targets_parse(copy.data(), &targets, &count, error, sizeof error))
        << text;
    EXPECT_NE(std::strstr(error, "line 2"), nullptr) << error;
  }
}

TEST_F(DirectedTargetsTest, MatchesThreadPositionWantedAndHeldLock) {
  rc_directed_target *t = Parse("target\t1\t/src/x.c\t13\tb\t\t0\t0\t0\ta\t\t0\t0\t0\t0\n", 1);
  const rc_site *at_13 = NewSite("/src/x.c", "f", 13, 5);
  const rc_site *other_file = NewSite("/src/z.c", "f", 13, 5);
  const rc_site *at_14 = NewSite("/src/x.c", "f", 14, 5);
  rc_thread *t1 = NewThread(1, 0), *t2 = NewThread(2, 0);
  EXPECT_FALSE(rc_directed_request_matches(t, t1, 1, at_13)) << "holds nothing yet";
  Hold(t1, 0);
  Hold(t2, 0);
  EXPECT_TRUE(rc_directed_request_matches(t, t1, 1, at_13));
  EXPECT_FALSE(rc_directed_request_matches(t, t2, 1, at_13)) << "another thread";
  EXPECT_FALSE(rc_directed_request_matches(t, t1, 1, other_file)) << "another file";
  EXPECT_FALSE(rc_directed_request_matches(t, t1, 1, at_14)) << "another line";
  EXPECT_FALSE(rc_directed_request_matches(t, t1, 2, at_13)) << "another wanted lock";
  EXPECT_FALSE(rc_directed_request_matches(t, t1, 1, nullptr)) << "unknown position";
}

TEST_F(DirectedTargetsTest, HeldLockMayBeAnyOfSeveralButNotTheWantedOne) {
  // Wants 'a' while holding 'a': the held key must name another held lock.
  rc_directed_target *self = Parse("target\t1\t/src/x.c\t13\ta\t\t0\t0\t0\ta\t\t0\t0\t0\t0\n", 1);
  const rc_site *at_13 = NewSite("/src/x.c", "f", 13, 5);
  rc_thread *t1 = NewThread(1, 0);
  Hold(t1, 0);
  EXPECT_FALSE(rc_directed_request_matches(self, t1, 0, at_13));
  rc_directed_target *t = Parse("target\t1\t/src/x.c\t13\tb\t\t0\t0\t0\ta\t\t0\t0\t0\t0\n", 1);
  rc_thread *t3 = NewThread(1, 0);
  Hold(t3, 2);
  Hold(t3, 0);  // 'a' is not the first held lock
  EXPECT_TRUE(rc_directed_request_matches(t, t3, 1, at_13));
}

TEST_F(DirectedTargetsTest, UnnamedLocksMatchBySiteCreatorAndOrdinal) {
  rc_lock_key second{"", "/src/pool.c", 40, 1, 1};
  EXPECT_FALSE(rc_lock_key_matches(&second, rc_lock_info_get(2))) << "ordinal 0";
  EXPECT_TRUE(rc_lock_key_matches(&second, rc_lock_info_get(3)));
  rc_lock_key other_creator{"", "/src/pool.c", 40, 2, 1};
  EXPECT_FALSE(rc_lock_key_matches(&other_creator, rc_lock_info_get(3)));
  rc_lock_key other_line{"", "/src/pool.c", 41, 1, 1};
  EXPECT_FALSE(rc_lock_key_matches(&other_line, rc_lock_info_get(3)));
  rc_lock_key named{"a", "", 0, 0, 0};
  EXPECT_TRUE(rc_lock_key_matches(&named, rc_lock_info_get(0)));
  EXPECT_FALSE(rc_lock_key_matches(&named, rc_lock_info_get(1)));
  EXPECT_FALSE(rc_lock_key_matches(&named, rc_lock_info_get(2))) << "an unnamed lock";
  rc_lock_key unnamed_key_for_named_lock{"", "", 0, 0, 0};
  EXPECT_FALSE(rc_lock_key_matches(&unnamed_key_for_named_lock, rc_lock_info_get(0)));
  EXPECT_FALSE(rc_lock_key_matches(&named, nullptr));
}

}  // namespace
}  // namespace racecheck
