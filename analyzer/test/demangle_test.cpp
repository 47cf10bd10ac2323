// demangle_test.cpp — C++ names demangle, everything else stays as recorded.
#include <gtest/gtest.h>

#include "demangle.h"

namespace racecheck {
namespace {

TEST(Demangle, ItaniumNames) {
  EXPECT_EQ(demangle("_ZN4Bank7depositEi"), "Bank::deposit(int)");
  EXPECT_EQ(demangle("_Z6workerPv"), "worker(void*)");
  EXPECT_EQ(demangle("_ZNSt6vectorIiSaIiEE9push_backERKi"),
            "std::vector<int, std::allocator<int> >::push_back(int const&)");
}

TEST(Demangle, CNamesAreUnchanged) {
  EXPECT_EQ(demangle("main"), "main");
  EXPECT_EQ(demangle("worker"), "worker");
  // A type encoding must not be demangled: a C function may be called "i".
  EXPECT_EQ(demangle("i"), "i");
  EXPECT_EQ(demangle(""), "");
}

TEST(Demangle, InvalidManglingFallsBackToTheRawName) {
  EXPECT_EQ(demangle("_Z"), "_Z");
  EXPECT_EQ(demangle("_Zgarbage!"), "_Zgarbage!");
}

}  // namespace
}  // namespace racecheck
