//===- AccessOptOuts.h - functions the user excluded from access checks ---===//
//
// The opt-outs of -fsanitize=thread, honoured by racecheck: a function marked
// __attribute__((no_sanitize("thread"))) / no_sanitize_thread (the frontend
// plugin tags it with an annotation, since clang records nothing in the IR
// when TSan is off), or matched by an ignorelist in the special-case-list
// syntax of -fsanitize-ignorelist (fun:, src:, mainfile:, [thread] sections;
// -racecheck-ignorelist=FILE, which `racecheck cc` derives from
// -fsanitize-ignorelist=FILE). As under TSan, such a function keeps its
// entry/exit, call sites and atomics; only its plain accesses (and
// memintrinsics) go unchecked, and it is not marked sanitize_thread, so the
// inliner does not merge it into checked callers.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/SmallPtrSet.h"

namespace llvm {
class Function;
class Module;
} // namespace llvm

namespace racecheck {

/// The annotation string the frontend plugin attaches to functions marked
/// no_sanitize("thread").
inline constexpr const char NoSanitizeThreadAnnotation[] =
    "racecheck.no_sanitize_thread";

/// The function attribute that carries the decision from the start of the
/// pipeline (MarkSanitizeThreadPass) to the instrumentation at its end.
inline constexpr const char NoAccessChecksAttr[] = "racecheck-no-access-checks";

class AccessOptOuts {
public:
  /// Reads M's annotations and the ignorelists named on the command line
  /// (a malformed list is a fatal error naming the file and line).
  explicit AccessOptOuts(llvm::Module &M);

  /// Whether F's plain accesses go unchecked.
  bool excludes(const llvm::Function &F) const;

private:
  llvm::SmallPtrSet<const llvm::Function *, 8> Annotated;
};

} // namespace racecheck
