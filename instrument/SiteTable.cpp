//===- SiteTable.cpp - source positions as site descriptors ---------------===//
//
// Interns struct __racecheck_site descriptors per module, and picks the
// position to report for an instruction of a function (SiteTable.h).
//
//===----------------------------------------------------------------------===//
#include "SiteTable.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Support/Path.h"

using namespace llvm;

#define DEBUG_TYPE "racecheck"

STATISTIC(NumSites, "Site descriptors emitted");

namespace racecheck {

StringRef subprogramName(const DISubprogram *SP) {
  StringRef Linkage = SP->getLinkageName();
  return Linkage.empty() ? SP->getName() : Linkage;
}

/// DIFile names are often relative to the compilation directory (`clang -c
/// src/a.c` records "src/a.c" and the directory separately), so join them to
/// get a path that still names the file when the program runs, or is
/// reported, elsewhere. "./" components are dropped; ".." is kept, as
/// resolving it lexically is wrong across symlinks.
std::string sourcePath(StringRef Directory, StringRef File) {
  if (File.empty() || Directory.empty() || sys::path::is_absolute(File))
    return File.str();
  SmallString<256> Path(Directory);
  sys::path::append(Path, File);
  sys::path::remove_dots(Path, /*remove_dot_dot=*/false);
  return std::string(Path);
}

// ---- SiteTable --------------------------------------------------------------

Constant *SiteTable::forLocation(const DILocation *Loc, const Function &F) {
  if (!Loc) {
    // Compiler-generated code without a location: attribute it to the
    // function, line 0 meaning "no line".
    if (const DISubprogram *SP = F.getSubprogram())
      return get(sourcePathOf(SP), subprogramName(SP), 0, 0, nullptr);
    return get(M.getSourceFileName(), F.getName(), 0, 0, nullptr);
  }
  auto Cached = LocationCache.find(Loc);
  if (Cached != LocationCache.end())
    return Cached->second;
  Constant *InlinedAt = nullptr;
  if (const DILocation *Outer = Loc->getInlinedAt())
    InlinedAt = forLocation(Outer, F);
  const DISubprogram *SP = Loc->getScope()->getSubprogram();
  StringRef Function = SP ? subprogramName(SP) : F.getName();
  Constant *Site = get(sourcePathOf(Loc), Function, Loc->getLine(),
                       Loc->getColumn(), InlinedAt);
  LocationCache[Loc] = Site;
  return Site;
}

Constant *SiteTable::forFunction(const Function &F) {
  if (const DISubprogram *SP = F.getSubprogram())
    return get(sourcePathOf(SP), subprogramName(SP), SP->getLine(), 0, nullptr);
  return get(M.getSourceFileName(), F.getName(), 0, 0, nullptr);
}

Constant *SiteTable::get(StringRef File, StringRef Function, unsigned Line,
                         unsigned Column, Constant *InlinedAt) {
  auto Key =
      std::make_tuple(File.str(), Function.str(), Line, Column, InlinedAt);
  auto Found = Sites.find(Key);
  if (Found != Sites.end())
    return Found->second;
  Constant *Fields[abi::NumSiteFields];
  Fields[abi::SiteFile] = string(File);
  Fields[abi::SiteFunction] = string(Function);
  Fields[abi::SiteLine] = ConstantInt::get(RT.Int32Ty, Line);
  Fields[abi::SiteColumn] = ConstantInt::get(RT.Int32Ty, Column);
  Fields[abi::SiteInlinedAt] =
      InlinedAt ? InlinedAt : ConstantPointerNull::get(RT.PtrTy);
  auto *Site = new GlobalVariable(
      M, RT.SiteTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
      ConstantStruct::get(RT.SiteTy, Fields), "__racecheck_site");
  Site->setAlignment(Align(8));
  ++NumSites;
  Sites.emplace(std::move(Key), Site);
  return Site;
}

Constant *SiteTable::string(StringRef S) {
  auto Found = Strings.find(S);
  if (Found != Strings.end())
    return Found->second;
  Constant *Init = ConstantDataArray::getString(M.getContext(), S);
  auto *Str =
      new GlobalVariable(M, Init->getType(), /*isConstant=*/true,
                         GlobalValue::PrivateLinkage, Init, "__racecheck_str");
  Str->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  Str->setAlignment(Align(1));
  Strings[S] = Str;
  return Str;
}

// ---- FunctionSites ----------------------------------------------------------

namespace {

const DILocation *knownLocation(const Instruction &I) {
  const DILocation *Loc = I.getDebugLoc().get();
  return Loc && Loc->getLine() != 0 ? Loc : nullptr;
}

/// The nearest located instruction on the unique-successor chain after BB,
/// then on the unique-predecessor chain before it (a few blocks each way).
const DILocation *straightLineLocation(const BasicBlock &BB) {
  constexpr int MaxBlocks = 8;
  const BasicBlock *Block = BB.getUniqueSuccessor();
  for (int Step = 0; Block && Block != &BB && Step < MaxBlocks; ++Step) {
    for (const Instruction &Next : *Block)
      if (const DILocation *Loc = knownLocation(Next))
        return Loc;
    Block = Block->getUniqueSuccessor();
  }
  Block = BB.getUniquePredecessor();
  for (int Step = 0; Block && Block != &BB && Step < MaxBlocks; ++Step) {
    for (const Instruction &Prev : reverse(*Block))
      if (const DILocation *Loc = knownLocation(Prev))
        return Loc;
    Block = Block->getUniquePredecessor();
  }
  return nullptr;
}

} // namespace

void FunctionSites::noteAccess(const Instruction &I) {
  if (const Value *Ptr = getLoadStorePointerOperand(&I))
    if (const DILocation *Loc = knownLocation(I))
      AccessLocations.try_emplace(Ptr, Loc);
}

/// Optimizations drop or zero the location of code they move: LICM hoists
/// a load out of a loop and sinks the store after it, and both lose their
/// line. For a report, the best stand-in is another access to the same
/// address in the function, else the nearest located instruction in the
/// block (what a line table would show for that code), else the first
/// located instruction on the straight-line path that follows the block
/// (a loop preheader holding only hoisted code falls through to the loop
/// header), else the last one on the straight-line path before it, else
/// line 0. The function's scope line is not used: it would print a precise
/// but wrong line, where line 0 makes the report say "line unknown".
const DILocation *FunctionSites::location(const Instruction &I) const {
  if (const DILocation *Loc = knownLocation(I))
    return Loc;
  if (const Value *Ptr = getLoadStorePointerOperand(&I)) {
    auto Found = AccessLocations.find(Ptr);
    if (Found != AccessLocations.end())
      return Found->second;
  }
  for (const Instruction *Next = I.getNextNode(); Next;
       Next = Next->getNextNode())
    if (const DILocation *Loc = knownLocation(*Next))
      return Loc;
  for (const Instruction *Prev = I.getPrevNode(); Prev;
       Prev = Prev->getPrevNode())
    if (const DILocation *Loc = knownLocation(*Prev))
      return Loc;
  if (const DILocation *Loc = straightLineLocation(*I.getParent()))
    return Loc;
  return I.getDebugLoc().get();
}

bool FunctionSites::sameReportedLine(const Instruction &A,
                                     const Instruction &B) const {
  const DILocation *LA = location(A), *LB = location(B);
  if (LA == LB)
    return true;
  if (!LA || !LB)
    return false;
  return LA->getLine() == LB->getLine() &&
         LA->getInlinedAt() == LB->getInlinedAt() &&
         LA->getScope()->getSubprogram() == LB->getScope()->getSubprogram() &&
         LA->getFilename() == LB->getFilename();
}

} // namespace racecheck
