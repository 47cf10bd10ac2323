//===- RacecheckPass.h - the racecheck instrumentation pass -----*- C++ -*-===//
//
// Declares the module pass that rewrites a module so that every shared memory
// access, atomic operation, call and function entry/exit reports to the
// racecheck runtime through the ABI in runtime/include/racecheck/interface.h.
// Plugin.cpp registers it with clang (-fplugin, -fpass-plugin) and opt
// (-load-pass-plugin, pipeline name "racecheck").
//
//===----------------------------------------------------------------------===//
#ifndef RACECHECK_INSTRUMENT_RACECHECKPASS_H
#define RACECHECK_INSTRUMENT_RACECHECKPASS_H

#include "llvm/IR/PassManager.h"

namespace racecheck {

/// Which parts of the instrumentation are on. Defaults come from the
/// -racecheck-* command-line options (settable with -mllvm); clang plugin
/// arguments can switch parts off on top of that.
struct InstrumentationOptions {
  bool Memory = true;               // plain loads and stores
  bool Atomics = true;              // atomic load/store/rmw/cmpxchg and fences
  bool MemIntrinsics = true;        // memcpy/memmove/memset intrinsics
  bool CallSites = true;            // store the call site before each call
  bool FuncEntryExit = true;        // shadow call stack maintenance
  bool Globals = true;              // register the module's globals for reports
  bool HandleCxxExceptions = true;  // func_exit also on unwind
  bool ElideReadBeforeWrite = true; // skip checks a nearby check covers
  bool HoistLoopChecks = true;      // one box check per loop nest (-O1+)

  /// The options as set on the command line (-racecheck-instrument-*).
  static InstrumentationOptions fromCommandLine();
};

/// Instruments a module once: a module flag ("racecheck.instrumented")
/// marks it, so registering the pass twice (-fplugin together with
/// -fpass-plugin, or pre-link and post-link LTO) is harmless.
class RacecheckPass : public llvm::PassInfoMixin<RacecheckPass> {
public:
  RacecheckPass() : Options(InstrumentationOptions::fromCommandLine()) {}
  explicit RacecheckPass(const InstrumentationOptions &Options)
      : Options(Options) {}

  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);

  /// Required, so that it also runs on optnone functions at -O0.
  static bool isRequired() { return true; }

private:
  InstrumentationOptions Options;
};

/// Marks every function the module defines `sanitize_thread`, as clang's
/// -fsanitize=thread front end does, so that the optimiser keeps the
/// program's accesses where the source put them: LLVM does not speculate a
/// load out of its condition (mustSuppressSpeculation: SimplifyCFG, LICM,
/// GVN's PRE), nor widen loads (MemoryDependence) in such functions. Those
/// rewrites are correct for one thread but make accesses the program never
/// makes, which RacecheckPass, running at the end of the pipeline, would
/// report as races. Runs at the start of the pipeline. The attribute itself
/// inserts no instrumentation (ThreadSanitizer's pass is not in the
/// pipeline).
class MarkSanitizeThreadPass
    : public llvm::PassInfoMixin<MarkSanitizeThreadPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }
};

/// The name of the module flag that marks an instrumented module.
inline constexpr const char *InstrumentedModuleFlag = "racecheck.instrumented";

} // namespace racecheck

#endif // RACECHECK_INSTRUMENT_RACECHECKPASS_H
