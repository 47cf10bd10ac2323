// source_frames_test.cpp — stack expansion: inlined positions, call sites,
// frames reached through uninstrumented code.
#include <gtest/gtest.h>

#include "source_frames.h"
#include "test_data.h"

namespace racecheck {
namespace {

TEST(SourceFrames, InlinedSiteShowsTheCalleeThenTheInlinedAtPosition) {
  Record r = test::load_fixture("bank.record");
  // Site 10: Bank::deposit line 20, inlined into worker at line 31.
  auto frames = source_stack(r, 10, 1);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].function, "Bank::deposit(int)");
  EXPECT_EQ(frames[0].mangled, "_ZN4Bank7depositEi");
  EXPECT_EQ(frames[0].line, 20u);
  EXPECT_TRUE(frames[0].inlined);
  EXPECT_EQ(frames[1].function, "worker(void*)");
  EXPECT_EQ(frames[1].line, 31u);
  EXPECT_EQ(frames[1].column, 3u);
  EXPECT_FALSE(frames[1].inlined);
}

TEST(SourceFrames, DeepInlineChain) {
  Record r = test::parse("racecheck-record\t1\n"
                         "site\t0\tm.cpp\tmain\t30\t7\t-1\n"
                         "site\t1\tm.h\t_Z5outerv\t20\t3\t0\n"
                         "site\t2\tm.h\t_Z5innerv\t10\t9\t1\n"
                         "end-record\n");
  auto frames = expand_site(r, 2);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].function, "inner()");
  EXPECT_EQ(frames[1].function, "outer()");
  EXPECT_EQ(frames[2].function, "main");
  EXPECT_EQ(format_position(frames[0]), "m.h:10:9");
  EXPECT_EQ(format_position(frames[2]), "m.cpp:30:7");
}

TEST(SourceFrames, CallSitesFollowTheAccess) {
  Record r = test::load_fixture("bank.record");
  // Bank::balance() called from main at 44:20.
  auto frames = source_stack(r, 5, 3);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].function, "Bank::balance()");
  EXPECT_EQ(format_position(frames[0]), "bank.cpp:15:12");
  EXPECT_EQ(frames[1].function, "main");
  EXPECT_EQ(format_position(frames[1]), "bank.cpp:44:20");
}

TEST(SourceFrames, FrameEnteredThroughUninstrumentedCodeHasNoPosition) {
  Record r = test::load_fixture("heap_hang.record");
  // compare <- (qsort) <- sort_items <- consumer
  auto frames = source_stack(r, 2, 3);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].function, "compare");
  EXPECT_EQ(frames[1].function, "sort_items");
  EXPECT_EQ(frames[1].line, 0u);
  EXPECT_TRUE(frames[1].through_uninstrumented_code);
  EXPECT_FALSE(frames[0].through_uninstrumented_code);
  EXPECT_EQ(format_position(frames[1]), "queue.c");
  EXPECT_EQ(frames[2].function, "consumer");
  EXPECT_EQ(format_position(frames[2]), "queue.c:55:5");
}

TEST(SourceFrames, LineZeroAtAKnownPositionIsLineUnknown) {
  test::ScopedDisplayBase base("/elsewhere");
  Record r = test::load_fixture("use_after_free.record");
  auto frames = source_stack(r, 0, 1);
  ASSERT_EQ(frames.size(), 1u);  // the thread's start routine: no caller frame
  EXPECT_EQ(frames[0].line, 0u);
  EXPECT_FALSE(frames[0].through_uninstrumented_code);
  EXPECT_EQ(format_position(frames[0]), "/home/dev/pool/src/pool.c (line unknown)");
}

TEST(SourceFrames, EmptyStacks) {
  Record r = test::load_fixture("counter.record");
  EXPECT_TRUE(source_stack(r, kNoId, kNoId).empty());
  EXPECT_EQ(source_stack(r, 0, 0).size(), 1u);
  EXPECT_EQ(short_position(r, kNoId), "<unknown position>");
}

}  // namespace
}  // namespace racecheck
