// demangle.cpp — wraps abi::__cxa_demangle.
#include "demangle.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

namespace racecheck {

std::string demangle(const std::string &linkage_name) {
  // Only symbol names: __cxa_demangle also accepts type encodings, which
  // would turn a C function named "i" into "int".
  if (linkage_name.rfind("_Z", 0) != 0) return linkage_name;
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> result(
      abi::__cxa_demangle(linkage_name.c_str(), nullptr, nullptr, &status), &std::free);
  if (status != 0 || !result) return linkage_name;
  return result.get();
}

}  // namespace racecheck
