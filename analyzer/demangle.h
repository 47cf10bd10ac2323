// demangle.h — readable function names for reports (Itanium C++ ABI).
#pragma once

#include <string>

namespace racecheck {

// Demangles an Itanium-mangled linkage name ("_Z..."); any other name (C
// functions, names that fail to demangle) is returned unchanged.
std::string demangle(const std::string &linkage_name);

}  // namespace racecheck
