//===- SiteTable.h - source positions as site descriptors ------*- C++ -*-===//
//
// Every check the pass emits names its source position by a pointer to a
// constant struct __racecheck_site, so the runtime reports file, line,
// column, function and inlining chain without a symbolizer. SiteTable
// interns those descriptors (and the strings they point to) per module;
// FunctionSites finds the position to report for an instruction of one
// function, also when an optimization dropped its debug location.
//
//===----------------------------------------------------------------------===//
#ifndef RACECHECK_INSTRUMENT_SITETABLE_H
#define RACECHECK_INSTRUMENT_SITETABLE_H

#include "RuntimeInterface.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"

#include <map>
#include <string>
#include <tuple>

namespace racecheck {

/// The name a report shows for a subprogram: the linkage (mangled) name when
/// there is one, as struct __racecheck_site requires, else the source name.
llvm::StringRef subprogramName(const llvm::DISubprogram *SP);

/// The path a site records: Directory joined with File when File is
/// relative (see SiteTable.cpp).
std::string sourcePath(llvm::StringRef Directory, llvm::StringRef File);

template <typename DebugInfoNode>
std::string sourcePathOf(const DebugInfoNode *Node) {
  return sourcePath(Node->getDirectory(), Node->getFilename());
}

/// Interns constant strings and struct __racecheck_site descriptors.
/// Descriptors are deduplicated by content (file, function, line, column,
/// inlined-at descriptor), so each distinct source position, including its
/// inlining chain, has exactly one descriptor per module.
class SiteTable {
public:
  SiteTable(llvm::Module &M, const RuntimeInterface &RT) : M(M), RT(RT) {}

  /// The position of an instruction of F (Loc may be null).
  llvm::Constant *forLocation(const llvm::DILocation *Loc,
                              const llvm::Function &F);

  /// The function's own position: its declaration line, column 0.
  llvm::Constant *forFunction(const llvm::Function &F);

  llvm::Constant *get(llvm::StringRef File, llvm::StringRef Function,
                      unsigned Line, unsigned Column,
                      llvm::Constant *InlinedAt);

  /// A NUL-terminated private string, one per distinct content.
  llvm::Constant *string(llvm::StringRef S);

private:
  llvm::Module &M;
  const RuntimeInterface &RT;
  llvm::StringMap<llvm::Constant *> Strings;
  std::map<std::tuple<std::string, std::string, unsigned, unsigned,
                      llvm::Constant *>,
           llvm::Constant *>
      Sites;
  llvm::DenseMap<const llvm::DILocation *, llvm::Constant *> LocationCache;
};

/// The sites of the instructions of one function. Optimizations drop or zero
/// the debug location of code they move; an instruction without one borrows
/// the best stand-in (see location()).
class FunctionSites {
public:
  FunctionSites(SiteTable &Sites, const llvm::Function &F)
      : Sites(Sites), F(F) {}

  /// Remembers the location of a located load or store by its pointer, for
  /// accesses to the same address that lost theirs. Called on every
  /// instruction before any is instrumented.
  void noteAccess(const llvm::Instruction &I);

  /// The location a report on I names; null (line 0) when nothing better
  /// is known.
  const llvm::DILocation *location(const llvm::Instruction &I) const;

  /// The descriptor of location(I).
  llvm::Constant *site(const llvm::Instruction &I) {
    return Sites.forLocation(location(I), F);
  }

  /// The descriptor of the function itself (its declaration line).
  llvm::Constant *functionSite() { return Sites.forFunction(F); }

  /// Whether reports on A and B would name the same source line (and
  /// inlined copy): only then may one check stand in for the other.
  bool sameReportedLine(const llvm::Instruction &A,
                        const llvm::Instruction &B) const;

private:
  SiteTable &Sites;
  const llvm::Function &F;
  // The first located plain or atomic access through each pointer value.
  llvm::DenseMap<const llvm::Value *, const llvm::DILocation *> AccessLocations;
};

} // namespace racecheck

#endif // RACECHECK_INSTRUMENT_SITETABLE_H
