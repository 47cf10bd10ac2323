//===- AccessOptOuts.cpp - functions the user excluded from access checks -===//
//
// See AccessOptOuts.h. The ignorelist is parsed once per process by LLVM's
// SpecialCaseList, the parser clang uses for -fsanitize-ignorelist.
//
//===----------------------------------------------------------------------===//
#include "AccessOptOuts.h"

#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SpecialCaseList.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <memory>
#include <mutex>

using namespace llvm;

static cl::list<std::string> ClIgnorelist(
    "racecheck-ignorelist",
    cl::desc("racecheck: special case list (the syntax of "
             "-fsanitize-ignorelist: fun:, src:, mainfile:, [thread]) of "
             "functions whose plain accesses are not checked"),
    cl::Hidden);

namespace racecheck {
namespace {

const SpecialCaseList *ignorelist() {
  static std::once_flag Once;
  static std::unique_ptr<SpecialCaseList> List;
  std::call_once(Once, [] {
    if (ClIgnorelist.empty())
      return;
    std::vector<std::string> Paths(ClIgnorelist.begin(), ClIgnorelist.end());
    std::string Error;
    List = SpecialCaseList::create(Paths, *vfs::getRealFileSystem(), Error);
    if (!List)
      report_fatal_error(Twine("racecheck: ") + Error, false);
  });
  return List.get();
}

bool listed(const SpecialCaseList &List, StringRef Prefix, StringRef Query) {
  return !Query.empty() && List.inSection("thread", Prefix, Query);
}

bool ignorelisted(const SpecialCaseList &List, const Function &F) {
  if (listed(List, "fun", F.getName()))
    return true;
  // Demangled names too, so C++ users can write fun:ns::Class::method*.
  std::string Demangled = demangle(F.getName());
  if (Demangled != F.getName() && listed(List, "fun", Demangled))
    return true;
  const Module &M = *F.getParent();
  if (listed(List, "mainfile", M.getSourceFileName()))
    return true;
  if (const DISubprogram *SP = F.getSubprogram()) {
    // The file as the compiler spelled it, and its absolute path.
    StringRef File = SP->getFilename();
    if (listed(List, "src", File))
      return true;
    if (!sys::path::is_absolute(File) && !SP->getDirectory().empty()) {
      SmallString<256> Full(SP->getDirectory());
      sys::path::append(Full, File);
      if (listed(List, "src", Full))
        return true;
    }
    return false;
  }
  return listed(List, "src", M.getSourceFileName());
}

} // namespace

AccessOptOuts::AccessOptOuts(Module &M) {
  // llvm.global.annotations: { ptr function, ptr string, ptr file, i32 line,
  // ptr args } per annotated declaration.
  GlobalVariable *Table = M.getGlobalVariable("llvm.global.annotations");
  if (!Table || !Table->hasInitializer())
    return;
  auto *Entries = dyn_cast<ConstantArray>(Table->getInitializer());
  if (!Entries)
    return;
  for (const Use &U : Entries->operands()) {
    auto *Entry = dyn_cast<ConstantStruct>(U.get());
    if (!Entry || Entry->getNumOperands() < 2)
      continue;
    auto *Fn = dyn_cast<Function>(Entry->getOperand(0)->stripPointerCasts());
    auto *Str =
        dyn_cast<GlobalVariable>(Entry->getOperand(1)->stripPointerCasts());
    if (!Fn || !Str || !Str->hasInitializer())
      continue;
    auto *Text = dyn_cast<ConstantDataSequential>(Str->getInitializer());
    if (Text && Text->isCString() &&
        Text->getAsCString() == NoSanitizeThreadAnnotation)
      Annotated.insert(Fn);
  }
}

bool AccessOptOuts::excludes(const Function &F) const {
  if (F.hasFnAttribute(NoAccessChecksAttr) || Annotated.contains(&F))
    return true;
  const SpecialCaseList *List = ignorelist();
  return List && ignorelisted(*List, F);
}

} // namespace racecheck
