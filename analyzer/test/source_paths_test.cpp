// source_paths_test.cpp — how reports spell recorded source paths.
#include <gtest/gtest.h>

#include <filesystem>

#include "source_paths.h"
#include "test_data.h"

namespace racecheck {
namespace {

TEST(SourcePaths, FilesUnderTheBaseBecomeRelative) {
  EXPECT_EQ(path_relative_to("/work/proj/tools/demo/bank.c", "/work/proj"), "tools/demo/bank.c");
  EXPECT_EQ(path_relative_to("/work/proj/tools/demo/bank.c", "/work/proj/"), "tools/demo/bank.c");
  EXPECT_EQ(path_relative_to("/work/proj/./src//a.c", "/work/proj"), "src/a.c");
  EXPECT_EQ(path_relative_to("/work/proj/build/../src/a.c", "/work/proj"), "src/a.c");
}

TEST(SourcePaths, OtherFilesStayAsRecorded) {
  // A sibling whose name merely starts like the base is not under it.
  EXPECT_EQ(path_relative_to("/work/project2/a.c", "/work/proj"), "/work/project2/a.c");
  EXPECT_EQ(path_relative_to("/usr/include/stdio.h", "/work/proj"), "/usr/include/stdio.h");
  // Relative paths (older records, hand-written ones) are printed as they are.
  EXPECT_EQ(path_relative_to("counter.c", "/work/proj"), "counter.c");
  // The base itself, and no base at all.
  EXPECT_EQ(path_relative_to("/work/proj", "/work/proj"), "/work/proj");
  EXPECT_EQ(path_relative_to("/work/proj/a.c", ""), "/work/proj/a.c");
}

TEST(SourcePaths, DefaultBaseIsTheWorkingDirectory) {
  namespace fs = std::filesystem;
  std::string here = (fs::current_path() / "sub" / "x.c").string();
  EXPECT_EQ(display_path(here), "sub/x.c");
  {
    test::ScopedDisplayBase base("/nowhere");
    EXPECT_EQ(display_path(here), here);
    EXPECT_EQ(display_base(), "/nowhere");
  }
  EXPECT_EQ(display_path(here), "sub/x.c");
}

}  // namespace
}  // namespace racecheck
