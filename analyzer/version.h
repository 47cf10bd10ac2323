// version.h — the racecheck version, set by CMake from project(VERSION).
#pragma once

#ifndef RACECHECK_VERSION
#error "RACECHECK_VERSION must be defined by the build"
#endif

namespace racecheck {
constexpr const char kRacecheckVersion[] = RACECHECK_VERSION;
}  // namespace racecheck
