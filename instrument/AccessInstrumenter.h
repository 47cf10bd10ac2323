//===- AccessInstrumenter.h - checks of plain memory accesses ---*- C++ -*-===//
//
// The checks of one function's plain (non-atomic) memory accesses, each a
// call to __racecheck_read*/__racecheck_write* before the access:
//   - loads and stores that may touch shared memory, minus the checks another
//     check in the same block covers (ThreadSanitizer's
//     chooseInstructionsToInstrument) and those a box check before a loop
//     nest replaces (LoopCheckHoisting.h);
//   - each active lane of masked loads/stores and gathers/scatters;
//   - memcpy/memmove/memset intrinsics, as ranges.
//
//===----------------------------------------------------------------------===//
#ifndef RACECHECK_INSTRUMENT_ACCESSINSTRUMENTER_H
#define RACECHECK_INSTRUMENT_ACCESSINSTRUMENTER_H

#include "RacecheckPass.h"
#include "RuntimeInterface.h"
#include "SiteTable.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/PassManager.h"

namespace racecheck {

/// Instruments the plain accesses of one function; one instance per
/// function (it caches which of the function's allocas escape).
class AccessInstrumenter {
public:
  /// FAM null: no loop analyses, so no box checks.
  AccessInstrumenter(llvm::Function &F, FunctionSites &Sites,
                     const RuntimeInterface &RT,
                     llvm::FunctionAnalysisManager *FAM)
      : F(F), Sites(Sites), RT(RT), DL(F.getParent()->getDataLayout()),
        FAM(FAM) {}

  /// Checks the plain loads and stores Accesses (in program order) that may
  /// be shared, less those Options lets elide or hoist. Decides everything
  /// before inserting anything: elision and hoisting look at the function
  /// as the program wrote it.
  void instrumentPlainAccesses(llvm::ArrayRef<llvm::Instruction *> Accesses,
                               const InstrumentationOptions &Options);

  /// The vectorizers' masked loads/stores and gathers/scatters.
  static bool isMaskedAccess(const llvm::Instruction &I);
  void instrumentMaskedAccess(llvm::IntrinsicInst &Intrinsic);

  void instrumentMemIntrinsic(llvm::MemIntrinsic &MI);

  /// Whether Store sets an object's vtable pointer (a constructor's or
  /// destructor's store): checked by __racecheck_vptr_update, a write only
  /// when the value changes.
  static bool isVtablePointerStore(const llvm::StoreInst &Store);

private:
  bool mayBeShared(const llvm::Value *Ptr);
  uint64_t plainAccessSize(const llvm::Instruction &I) const;
  void
  elideCoveredAccesses(llvm::SmallVectorImpl<llvm::Instruction *> &Checked);
  void hoistLoopChecks(llvm::SmallVectorImpl<llvm::Instruction *> &Checked);
  void instrumentPlainAccess(llvm::Instruction &I);

  llvm::Function &F;
  FunctionSites &Sites;
  const RuntimeInterface &RT;
  const llvm::DataLayout &DL;
  llvm::FunctionAnalysisManager *FAM;
  // Whether each alloca escapes (PointerMayBeCaptured is not cheap).
  llvm::DenseMap<const llvm::AllocaInst *, bool> AllocaEscapes;
};

} // namespace racecheck

#endif // RACECHECK_INSTRUMENT_ACCESSINSTRUMENTER_H
