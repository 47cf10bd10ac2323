//===- RacecheckPass.cpp - instrument a module for racecheck --------------===//
//
// The racecheck instrumentation: a required module pass that inserts calls to
// the runtime ABI (runtime/include/racecheck/interface.h) so that the runtime
// sees, before they happen,
//   - every plain load/store that may touch shared memory, and each active
//     lane of masked loads/stores and gathers/scatters
//       -> __racecheck_read{1,2,4,8,16} / __racecheck_write{...} / *_range,
//     and stores of vtable pointers -> __racecheck_vptr_update,
//   - every atomic operation and fence
//       -> __racecheck_atomic_op / __racecheck_atomic_fence,
//   - memcpy/memmove/memset intrinsics -> *_range,
//   - function entry and every exit, including unwinding
//       -> __racecheck_func_entry / __racecheck_func_exit,
//   - the call site of every call, stored in the TLS __racecheck_call_site,
// and registers the module's globals from a module constructor.
//
// The design follows LLVM's ThreadSanitizer pass (ThreadSanitizer.cpp):
// same placement (OptimizerLast), same use of EscapeEnumerator for exits, and
// the same "non-escaping alloca" filter (a local whose address is never
// captured cannot be seen by another thread, so it cannot race). Unlike TSan,
// source positions are passed as pointers to constant site descriptors, so the
// runtime reports file:line:column and inlining without symbolizing.
//
// This file holds the pass's options and statistics, the choice of what to
// instrument and the per-function walk; the parts live beside it:
//   RuntimeInterface    the runtime's entry points, declared in the module;
//   SiteTable           site descriptors, and the position of an instruction;
//   AccessInstrumenter  plain loads/stores (elision, and the loop box checks
//                       of LoopCheckHoisting), masked lanes, memintrinsics;
//   AtomicInstrumenter  atomic operations and fences;
//   GlobalTable         the globals table and the module constructor.
//
//===----------------------------------------------------------------------===//
#include "RacecheckPass.h"
#include "AccessInstrumenter.h"
#include "AccessOptOuts.h"
#include "AtomicInstrumenter.h"
#include "GlobalTable.h"
#include "RuntimeInterface.h"
#include "SiteTable.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Transforms/Utils/EscapeEnumerator.h"

using namespace llvm;

#define DEBUG_TYPE "racecheck"

static cl::opt<bool>
    ClInstrumentMemory("racecheck-instrument-memory", cl::init(true),
                       cl::desc("racecheck: instrument plain loads and stores"),
                       cl::Hidden);
static cl::opt<bool> ClInstrumentAtomics(
    "racecheck-instrument-atomics", cl::init(true),
    cl::desc("racecheck: instrument atomic operations and fences"), cl::Hidden);
static cl::opt<bool> ClInstrumentMemIntrinsics(
    "racecheck-instrument-memintrinsics", cl::init(true),
    cl::desc("racecheck: instrument memcpy/memmove/memset intrinsics"),
    cl::Hidden);
static cl::opt<bool> ClInstrumentCalls(
    "racecheck-instrument-calls", cl::init(true),
    cl::desc("racecheck: record the call site before each call"), cl::Hidden);
static cl::opt<bool> ClInstrumentFuncEntryExit(
    "racecheck-instrument-func-entry-exit", cl::init(true),
    cl::desc("racecheck: instrument function entry and exit"), cl::Hidden);
static cl::opt<bool> ClRegisterGlobals(
    "racecheck-register-globals", cl::init(true),
    cl::desc("racecheck: register the module's globals with the runtime"),
    cl::Hidden);
static cl::opt<bool> ClElideReadBeforeWrite(
    "racecheck-elide-read-before-write", cl::init(true),
    cl::desc("racecheck: within a basic block, do not check a load that a "
             "later store to the same pointer covers, nor an access that "
             "repeats the previous check (ThreadSanitizer's "
             "chooseInstructionsToInstrument)"),
    cl::Hidden);
static cl::opt<bool> ClHoistLoopChecks(
    "racecheck-hoist-loop-checks", cl::init(true),
    cl::desc("racecheck: check an access of a loop nest without "
             "synchronisation once, before the nest, over all the addresses "
             "it touches (BigFoot-style check coalescing)"),
    cl::Hidden);
static cl::opt<bool> ClHandleCxxExceptions(
    "racecheck-handle-cxx-exceptions", cl::init(true),
    cl::desc("racecheck: call __racecheck_func_exit also when an exception "
             "unwinds through a function"),
    cl::Hidden);

static cl::opt<bool> ClMarkSanitizeThread(
    "racecheck-mark-sanitize-thread", cl::init(true),
    cl::desc("racecheck: mark every defined function sanitize_thread at the "
             "start of the pipeline, so the optimiser does not speculate "
             "loads or widen accesses (as under -fsanitize=thread)"),
    cl::Hidden);

STATISTIC(NumInstrumentedFunctions, "Functions instrumented");
STATISTIC(NumCallSiteStores, "Calls with a recorded call site");

namespace racecheck {

InstrumentationOptions InstrumentationOptions::fromCommandLine() {
  InstrumentationOptions O;
  O.Memory = ClInstrumentMemory;
  O.Atomics = ClInstrumentAtomics;
  O.MemIntrinsics = ClInstrumentMemIntrinsics;
  O.CallSites = ClInstrumentCalls;
  O.FuncEntryExit = ClInstrumentFuncEntryExit;
  O.Globals = ClRegisterGlobals;
  O.HandleCxxExceptions = ClHandleCxxExceptions;
  O.ElideReadBeforeWrite = ClElideReadBeforeWrite;
  O.HoistLoopChecks = ClHoistLoopChecks;
  return O;
}

namespace {

/// A function's instructions by what the pass does with them, in program
/// order.
struct InstructionsToInstrument {
  SmallVector<Instruction *, 64> PlainAccesses, MaskedAccesses, AtomicOps,
      MemIntrinsics, Calls;
};

/// Instruments one module. Owns the runtime declarations and the site table.
class ModuleInstrumenter {
public:
  ModuleInstrumenter(Module &M, const InstrumentationOptions &Options,
                     FunctionAnalysisManager *FAM)
      : M(M), Options(Options), FAM(FAM), RT(M), Sites(M, RT),
        Atomics(RT, M.getDataLayout()), OptOuts(M) {}

  void run() {
    collectIFuncResolvers();
    SmallVector<Function *, 32> Functions;
    for (Function &F : M)
      if (shouldInstrumentFunction(F))
        Functions.push_back(&F);
    for (Function *F : Functions)
      instrumentFunction(*F);
    GlobalTable(M, Sites, RT).emitModuleConstructor(Options.Globals);
  }

private:
  // ---- what to instrument ---------------------------------------------

  void collectIFuncResolvers() {
    // Resolvers run during relocation, before the runtime or even TLS is
    // usable.
    for (GlobalIFunc &IFunc : M.ifuncs())
      if (Function *Resolver = IFunc.getResolverFunction())
        IFuncResolvers.insert(Resolver);
  }

  bool shouldInstrumentFunction(const Function &F) const {
    if (F.isDeclaration() || F.hasAvailableExternallyLinkage())
      return false;
    if (F.getName().starts_with(RuntimePrefix))
      return false; // the runtime's own helpers and our module constructor
    if (F.hasFnAttribute(Attribute::Naked) ||
        F.hasFnAttribute(Attribute::DisableSanitizerInstrumentation))
      return false;
    return !IFuncResolvers.contains(&F);
  }

  static bool isRuntimeCallee(const CallBase &Call) {
    const Value *Callee = Call.getCalledOperand()->stripPointerCasts();
    if (auto *Alias = dyn_cast<GlobalAlias>(Callee))
      Callee = Alias->getAliaseeObject();
    auto *Fn = dyn_cast_or_null<Function>(Callee);
    return Fn &&
           (Fn->isIntrinsic() || Fn->getName().starts_with(RuntimePrefix));
  }

  /// Sorts F's instructions by what the pass does with them, and notes
  /// where each located access is (FunctionSites::noteAccess) before
  /// anything is inserted.
  static InstructionsToInstrument collect(Function &F, FunctionSites &Sites) {
    InstructionsToInstrument Found;
    for (BasicBlock &BB : F) {
      for (Instruction &I : BB) {
        Sites.noteAccess(I);
        if (auto *Load = dyn_cast<LoadInst>(&I)) {
          (Load->isAtomic() ? Found.AtomicOps : Found.PlainAccesses)
              .push_back(&I);
        } else if (auto *Store = dyn_cast<StoreInst>(&I)) {
          (Store->isAtomic() ? Found.AtomicOps : Found.PlainAccesses)
              .push_back(&I);
        } else if (isa<AtomicRMWInst>(I) || isa<AtomicCmpXchgInst>(I) ||
                   isa<FenceInst>(I)) {
          Found.AtomicOps.push_back(&I);
        } else if (auto *Call = dyn_cast<CallBase>(&I)) {
          if (isa<MemSetInst>(I) || isa<MemTransferInst>(I))
            Found.MemIntrinsics.push_back(&I);
          else if (AccessInstrumenter::isMaskedAccess(I))
            Found.MaskedAccesses.push_back(&I);
          else if (!Call->isInlineAsm() && !isRuntimeCallee(*Call))
            Found.Calls.push_back(&I);
        }
      }
    }
    return Found;
  }

  // ---- per function -------------------------------------------------------

  void instrumentFunction(Function &F) {
    FunctionSites FSites(Sites, F);
    InstructionsToInstrument Found = collect(F, FSites);
    AccessInstrumenter Accesses(F, FSites, RT, FAM);
    // no_sanitize("thread") and ignorelisted functions: as under TSan, no
    // plain-access checks, but entry/exit, call sites and atomics stay.
    const bool CheckAccesses = !OptOuts.excludes(F);
    if (Options.Memory && CheckAccesses) {
      Accesses.instrumentPlainAccesses(Found.PlainAccesses, Options);
      for (Instruction *I : Found.MaskedAccesses)
        Accesses.instrumentMaskedAccess(cast<IntrinsicInst>(*I));
    }
    if (Options.Atomics)
      for (Instruction *I : Found.AtomicOps)
        Atomics.instrument(*I, FSites);
    if (Options.MemIntrinsics && CheckAccesses)
      for (Instruction *I : Found.MemIntrinsics)
        Accesses.instrumentMemIntrinsic(cast<MemIntrinsic>(*I));
    if (Options.CallSites)
      for (Instruction *I : Found.Calls)
        recordCallSite(cast<CallBase>(*I), FSites);
    if (Options.FuncEntryExit)
      instrumentEntryExit(F, FSites);
    ++NumInstrumentedFunctions;
    if (FAM)
      FAM->invalidate(F, PreservedAnalyses::none());
  }

  /// The libc functions whose reads and writes of the caller's memory the
  /// runtime's interceptors check. The code generator may expand a call of
  /// one into loads of its own (memcmp(p, q, 8) == 0 becomes two loads and
  /// a compare), which nothing would check; nobuiltin keeps it a call.
  static bool hasCheckedMemoryEffects(const CallBase &Call) {
    const Function *Callee = Call.getCalledFunction();
    if (!Callee || !Callee->isDeclaration())
      return false;
    return StringSwitch<bool>(Callee->getName())
        .Cases("memcmp", "bcmp", "memchr", "strlen", "strnlen", true)
        .Cases("strcmp", "strncmp", "strchr", "strrchr", "strstr", true)
        .Cases("strcpy", "stpcpy", "strncpy", "strcat", "strncat", true)
        .Default(false);
  }

  void recordCallSite(CallBase &Call, FunctionSites &FSites) {
    if (hasCheckedMemoryEffects(Call))
      Call.addFnAttr(Attribute::NoBuiltin);
    IRBuilder<> IRB(&Call);
    IRB.CreateStore(FSites.site(Call), RT.CallSiteVar);
    ++NumCallSiteStores;
  }

  void instrumentEntryExit(Function &F, FunctionSites &FSites) {
    // Our calls have no source position of their own; a line-0 location in
    // the function keeps the debug info valid.
    DebugLoc Artificial;
    if (DISubprogram *SP = F.getSubprogram())
      Artificial = DILocation::get(M.getContext(), 0, 0, SP);

    IRBuilder<> Entry(&*F.getEntryBlock().getFirstInsertionPt());
    Entry.SetCurrentDebugLocation(Artificial);
    Entry.CreateCall(RT.FuncEntry, {FSites.functionSite()});

    // Every return and resume; with HandleCxxExceptions also calls that may
    // throw get a cleanup landing pad (as in ThreadSanitizer.cpp).
    EscapeEnumerator Exits(F, "racecheck_cleanup", Options.HandleCxxExceptions);
    while (IRBuilder<> *AtExit = Exits.Next()) {
      if (!AtExit->getCurrentDebugLocation())
        AtExit->SetCurrentDebugLocation(Artificial);
      AtExit->CreateCall(RT.FuncExit, {});
    }
  }

  Module &M;
  const InstrumentationOptions &Options;
  FunctionAnalysisManager *FAM; // null: no loop analyses, no box checks
  RuntimeInterface RT;
  SiteTable Sites;
  AtomicInstrumenter Atomics;
  AccessOptOuts OptOuts;
  SmallPtrSet<const Function *, 4> IFuncResolvers;
};

} // namespace

PreservedAnalyses MarkSanitizeThreadPass::run(Module &M,
                                              ModuleAnalysisManager &) {
  if (!ClMarkSanitizeThread)
    return PreservedAnalyses::all();
  bool Changed = false;
  AccessOptOuts OptOuts(M);
  for (Function &F : M) {
    // Functions the user excluded from sanitizers (clang's
    // disable_sanitizer_instrumentation) keep the optimiser's freedom.
    if (F.isDeclaration() ||
        F.hasFnAttribute(Attribute::DisableSanitizerInstrumentation) ||
        F.hasFnAttribute(Attribute::SanitizeThread))
      continue;
    // So do those excluded from access checks; without sanitize_thread the
    // inliner keeps them out of checked callers (and theirs out of them), as
    // under -fsanitize=thread.
    if (OptOuts.excludes(F)) {
      F.addFnAttr(NoAccessChecksAttr);
      Changed = true;
      continue;
    }
    F.addFnAttr(Attribute::SanitizeThread);
    Changed = true;
  }
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

PreservedAnalyses RacecheckPass::run(Module &M, ModuleAnalysisManager &MAM) {
  if (M.getModuleFlag(InstrumentedModuleFlag))
    return PreservedAnalyses::all();
  M.addModuleFlag(Module::Max, InstrumentedModuleFlag, 1);
  FunctionAnalysisManager &FAM =
      MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
  ModuleInstrumenter(M, Options, &FAM).run();
  return PreservedAnalyses::none();
}

} // namespace racecheck
