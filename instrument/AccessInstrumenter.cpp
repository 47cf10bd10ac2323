//===- AccessInstrumenter.cpp - checks of plain memory accesses -----------===//
//
// Which plain accesses of a function need a check, which checks others
// cover, and the calls that make them (AccessInstrumenter.h).
//
//===----------------------------------------------------------------------===//
#include "AccessInstrumenter.h"
#include "LoopCheckHoisting.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/CaptureTracking.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/LoopUtils.h"

#include <optional>

using namespace llvm;

#define DEBUG_TYPE "racecheck"

STATISTIC(NumInstrumentedReads, "Plain reads instrumented");
STATISTIC(NumInstrumentedWrites, "Plain writes instrumented");
STATISTIC(NumInstrumentedRanges, "Plain accesses of odd size (range calls)");
STATISTIC(NumOmittedNonEscapingLocal,
          "Accesses omitted: local that does not escape");
STATISTIC(NumOmittedConstant, "Accesses omitted: constant global");
STATISTIC(NumOmittedReadBeforeWrite,
          "Accesses omitted: read covered by a later write in the block");
STATISTIC(NumOmittedRepeatedAccess,
          "Accesses omitted: repeats the previous check in the block");
STATISTIC(NumHoistedLoopChecks,
          "Accesses checked once per loop nest (box checks)");
STATISTIC(NumBoxChecks, "Box checks emitted (after merging unrolled copies)");
STATISTIC(NumInstrumentedMemIntrinsics, "Memory intrinsics instrumented");
STATISTIC(NumInstrumentedMaskedLanes,
          "Lanes of masked loads/stores/gathers/scatters instrumented");

namespace racecheck {

bool AccessInstrumenter::isMaskedAccess(const Instruction &I) {
  auto *Intrinsic = dyn_cast<IntrinsicInst>(&I);
  if (!Intrinsic)
    return false;
  switch (Intrinsic->getIntrinsicID()) {
  case Intrinsic::masked_load:
  case Intrinsic::masked_store:
  case Intrinsic::masked_gather:
  case Intrinsic::masked_scatter:
    return true;
  default:
    return false;
  }
}

namespace {

/// Whether I ends the stretch of a block within which one access's check
/// may stand in for another's: anything that can synchronize or switch
/// threads. That is every call except intrinsics that touch no memory
/// (fmuladd, smax, ...), debug info, lifetime markers and assume-like ones;
/// memory intrinsics and masked accesses count, as their own checks are
/// scheduling points the runtime may act on. Atomics and fences order
/// memory between threads.
bool endsElisionWindow(const Instruction &I) {
  if (I.isAtomic() || isa<FenceInst>(I))
    return true;
  auto *Call = dyn_cast<CallBase>(&I);
  if (!Call)
    return false;
  if (auto *Intrinsic = dyn_cast<IntrinsicInst>(Call)) {
    if (isa<DbgInfoIntrinsic>(Intrinsic) || Intrinsic->isLifetimeStartOrEnd() ||
        Intrinsic->isAssumeLikeIntrinsic())
      return false;
    return Intrinsic->mayReadOrWriteMemory() ||
           AccessInstrumenter::isMaskedAccess(I) || !Intrinsic->doesNotThrow();
  }
  return true;
}

/// After the optimizer a loop often has no preheader of its own (its guard
/// branches straight into the header); gives one to each loop a box check
/// could go before (no synchronisation inside). Returns whether it changed
/// the CFG, so that scalar evolution must be recomputed.
bool addPreheaders(LoopInfo &LI, DominatorTree &DT) {
  bool AddedPreheader = false;
  for (Loop *L : LI.getLoopsInPreorder())
    if (!L->getLoopPreheader() && none_of(L->blocks(), [](BasicBlock *BB) {
          return any_of(*BB,
                        [](Instruction &I) { return endsElisionWindow(I); });
        }))
      AddedPreheader |=
          InsertPreheaderForLoop(L, &DT, &LI, nullptr,
                                 /*PreserveLCSSA=*/false) != nullptr;
  return AddedPreheader;
}

} // namespace

void AccessInstrumenter::instrumentPlainAccesses(
    ArrayRef<Instruction *> Accesses, const InstrumentationOptions &Options) {
  SmallVector<Instruction *, 64> Checked;
  for (Instruction *I : Accesses)
    if (plainAccessSize(*I) != 0 && mayBeShared(getLoadStorePointerOperand(I)))
      Checked.push_back(I);
  if (Options.ElideReadBeforeWrite)
    elideCoveredAccesses(Checked);
  // Before anything is inserted: the analysis looks for loops with no call
  // in them.
  if (Options.HoistLoopChecks)
    hoistLoopChecks(Checked);
  for (Instruction *I : Checked)
    instrumentPlainAccess(*I);
}

/// Whether an access through Ptr may touch memory another thread sees.
bool AccessInstrumenter::mayBeShared(const Value *Ptr) {
  if (Ptr->getType()->getPointerAddressSpace() != 0)
    return false; // GPU/special address spaces: not ours
  if (Ptr->isSwiftError())
    return false;
  const Value *Object = getUnderlyingObject(Ptr);
  if (auto *GV = dyn_cast<GlobalVariable>(Object)) {
    if (GV->isConstant()) {
      ++NumOmittedConstant;
      return false;
    }
    if (isToolingGlobal(*GV))
      return false;
  }
  if (auto *Alloca = dyn_cast<AllocaInst>(Object)) {
    auto [It, Inserted] = AllocaEscapes.try_emplace(Alloca, false);
    if (Inserted)
      It->second = PointerMayBeCaptured(Alloca, /*ReturnCaptures=*/true,
                                        /*StoreCaptures=*/true);
    if (!It->second) {
      ++NumOmittedNonEscapingLocal;
      return false;
    }
  }
  return true;
}

/// Bytes a plain load or store touches; 0 for scalable or empty types.
uint64_t AccessInstrumenter::plainAccessSize(const Instruction &I) const {
  Type *AccessTy = isa<StoreInst>(I)
                       ? cast<StoreInst>(I).getValueOperand()->getType()
                       : I.getType();
  TypeSize StoreSize = DL.getTypeStoreSize(AccessTy);
  return StoreSize.isScalable() ? 0 : StoreSize.getFixedValue();
}

/// Drop from Checked (the plain accesses that need a check, in program
/// order) the checks another check in the same block makes redundant, as
/// ThreadSanitizer's chooseInstructionsToInstrument does:
///  1. read-before-write: a load whose pointer a later store of at least
///     its size writes, with nothing that ends the window in between. The
///     thread's clock is the same at both, so every access that races with
///     the read (a concurrent write) also races with the write, and a
///     write that slips in between at another check's scheduling point is
///     caught by the store's check. This turns `x++` and `a[i] += v` into
///     one check.
///  2. repeated access: a load or store identical (pointer, size, kind) to
///     the last check kept before it, with no call at all in between, so
///     no scheduling point separates the two and the first check sees
///     exactly what the second would.
/// Both keep the access when the report would move to another source
/// line, so every report still names the line of an access that raced.
/// Volatile accesses and vptr stores are always checked.
void AccessInstrumenter::elideCoveredAccesses(
    SmallVectorImpl<Instruction *> &Checked) {
  SmallPtrSet<const Instruction *, 16> Candidates(Checked.begin(),
                                                  Checked.end());
  SmallPtrSet<const Instruction *, 16> Elided;
  auto IsPlain = [](const Instruction &I) {
    if (auto *Load = dyn_cast<LoadInst>(&I))
      return Load->isSimple();
    // A vptr store's check depends on the value stored, so it neither
    // covers nor repeats another.
    if (auto *Store = dyn_cast<StoreInst>(&I))
      return Store->isSimple() && !isVtablePointerStore(*Store);
    return false;
  };

  SmallPtrSet<BasicBlock *, 16> Blocks;
  for (Instruction *I : Checked)
    Blocks.insert(I->getParent());
  for (BasicBlock *BB : Blocks) {
    // 1. Backwards: the nearest later store to each pointer.
    DenseMap<const Value *, const StoreInst *> LaterStore;
    for (Instruction &I : reverse(*BB)) {
      if (endsElisionWindow(I)) {
        LaterStore.clear();
        continue;
      }
      if (!Candidates.contains(&I) || !IsPlain(I))
        continue;
      const Value *Ptr = getLoadStorePointerOperand(&I);
      if (auto *Store = dyn_cast<StoreInst>(&I)) {
        LaterStore[Ptr] = Store;
        continue;
      }
      auto Found = LaterStore.find(Ptr);
      if (Found != LaterStore.end() &&
          plainAccessSize(*Found->second) >= plainAccessSize(I) &&
          Sites.sameReportedLine(I, *Found->second)) {
        Elided.insert(&I);
        ++NumOmittedReadBeforeWrite;
      }
    }

    // 2. Forwards: the last check kept. A check kept in between is itself
    //    a call (a possible scheduling point), so only the immediately
    //    preceding kept check may stand in.
    const Instruction *LastChecked = nullptr;
    for (Instruction &I : *BB) {
      if (endsElisionWindow(I)) {
        LastChecked = nullptr;
        continue;
      }
      if (!Candidates.contains(&I) || Elided.contains(&I))
        continue;
      if (LastChecked && IsPlain(I) && IsPlain(*LastChecked) &&
          isa<StoreInst>(I) == isa<StoreInst>(LastChecked) &&
          getLoadStorePointerOperand(&I) ==
              getLoadStorePointerOperand(LastChecked) &&
          plainAccessSize(I) == plainAccessSize(*LastChecked) &&
          Sites.sameReportedLine(I, *LastChecked)) {
        Elided.insert(&I);
        ++NumOmittedRepeatedAccess;
        continue;
      }
      LastChecked = &I;
    }
  }
  if (!Elided.empty())
    llvm::erase_if(Checked, [&](Instruction *I) { return Elided.contains(I); });
}

/// Clang tags vtable pointer stores with the "vtable pointer" TBAA type when
/// it emits TBAA (-O1 and up); without TBAA (-O0, -fno-strict-aliasing) a
/// constructor's or destructor's store is recognised by its value, an
/// address in an Itanium vtable (_ZTV...). Stores of a value loaded from a
/// VTT (classes with virtual bases, at -O0) stay plain writes.
bool AccessInstrumenter::isVtablePointerStore(const StoreInst &Store) {
  if (!Store.isSimple() || !Store.getValueOperand()->getType()->isPointerTy())
    return false;
  if (MDNode *Tag = Store.getMetadata(LLVMContext::MD_tbaa))
    return Tag->isTBAAVtableAccess();
  auto *Table =
      dyn_cast<GlobalVariable>(getUnderlyingObject(Store.getValueOperand()));
  return Table && Table->isConstant() && Table->getName().starts_with("_ZTV");
}

void AccessInstrumenter::instrumentPlainAccess(Instruction &I) {
  bool IsWrite = isa<StoreInst>(I);
  Value *Ptr = getLoadStorePointerOperand(&I);
  uint64_t Size = plainAccessSize(I);
  IRBuilder<> IRB(&I);
  if (IsWrite && isVtablePointerStore(cast<StoreInst>(I))) {
    // Same-value stores (a destructor chain, or a constructor's store over
    // the value already there) are benign, as for ThreadSanitizer's
    // __tsan_vptr_update.
    IRB.CreateCall(RT.VptrUpdate,
                   {Ptr, cast<StoreInst>(I).getValueOperand(), Sites.site(I)});
    ++NumInstrumentedWrites;
    return;
  }
  if (RT.emitAccessCheck(IRB, IsWrite, Ptr, Size, Sites.site(I)))
    ++NumInstrumentedRanges;
  if (IsWrite)
    ++NumInstrumentedWrites;
  else
    ++NumInstrumentedReads;
}

/// Replaces the per-iteration checks of accesses in loop nests without
/// synchronisation by one box check before the nest (LoopCheckHoisting.h)
/// and drops them from Checked. Optimised code only: at -O0 loops are not
/// in the rotated, single-exit form the analysis needs, and there the
/// check-per-access code is what a debugger user expects anyway.
void AccessInstrumenter::hoistLoopChecks(
    SmallVectorImpl<Instruction *> &Checked) {
  if (!FAM || F.hasOptNone())
    return;
  auto &LI = FAM->getResult<LoopAnalysis>(F);
  if (LI.empty())
    return;
  auto &DT = FAM->getResult<DominatorTreeAnalysis>(F);
  if (addPreheaders(LI, DT)) {
    PreservedAnalyses KeepLoopsAndDominators;
    KeepLoopsAndDominators.preserve<LoopAnalysis>();
    KeepLoopsAndDominators.preserve<DominatorTreeAnalysis>();
    FAM->invalidate(F, KeepLoopsAndDominators);
  }
  auto &SE = FAM->getResult<ScalarEvolutionAnalysis>(F);
  LoopCheckHoisting Hoisting(LI, SE, DT, DL, endsElisionWindow);
  SmallVector<LoopBoxCheck, 8> Boxes;
  for (Instruction *I : Checked) {
    bool Simple = isa<LoadInst>(I) ? cast<LoadInst>(I)->isSimple()
                                   : cast<StoreInst>(I)->isSimple();
    if (!Simple ||
        (isa<StoreInst>(I) && isVtablePointerStore(*cast<StoreInst>(I))))
      continue; // volatile, vptr: checked where it happens
    if (std::optional<LoopBoxCheck> Box = Hoisting.plan(*I)) {
      Box->Site = Sites.site(*I);
      Box->Size = plainAccessSize(*I);
      Box->IsWrite = isa<StoreInst>(I);
      Boxes.push_back(*Box);
    }
  }
  if (Boxes.empty())
    return;
  SmallPtrSet<const Instruction *, 16> Hoisted;
  for (const LoopBoxCheck &Box : Boxes)
    Hoisted.insert(Box.Access);
  NumHoistedLoopChecks += Boxes.size();
  Hoisting.coalesce(Boxes);
  for (const LoopBoxCheck &Box : Boxes) {
    SmallVector<Value *, 1 + 2 * MaxBoxDimensions> Operands =
        Hoisting.expandOperands(Box);
    IRBuilder<> IRB(Box.OutermostLoop->getLoopPreheader()->getTerminator());
    SmallVector<Value *, 9> Args = {Operands[0],
                                    ConstantInt::get(RT.LongTy, Box.Size)};
    Args.append(Operands.begin() + 1, Operands.end());
    Args.push_back(Box.Site);
    IRB.CreateCall(Box.IsWrite ? RT.WriteBox : RT.ReadBox, Args);
    ++NumBoxChecks;
  }
  llvm::erase_if(Checked, [&](Instruction *I) { return Hoisted.contains(I); });
}

/// The vectorizers' masked loads/stores and gathers/scatters touch only
/// the lanes whose mask bit is set; masked-off lanes may lie past the end
/// of an object. So each lane is reported on its own, under its mask bit
/// (as AddressSanitizer does), and lanes with a constant false bit not at
/// all.
void AccessInstrumenter::instrumentMaskedAccess(IntrinsicInst &Intrinsic) {
  Intrinsic::ID ID = Intrinsic.getIntrinsicID();
  bool IsWrite =
      ID == Intrinsic::masked_store || ID == Intrinsic::masked_scatter;
  bool PerLanePointers =
      ID == Intrinsic::masked_gather || ID == Intrinsic::masked_scatter;
  // load(ptr, align, mask, passthru), store(value, ptr, align, mask), and
  // the same for gather/scatter with a vector of pointers.
  Value *Addr = Intrinsic.getArgOperand(IsWrite ? 1 : 0);
  Value *Mask = Intrinsic.getArgOperand(IsWrite ? 3 : 2);
  Type *DataTy =
      IsWrite ? Intrinsic.getArgOperand(0)->getType() : Intrinsic.getType();
  auto *VectorTy = dyn_cast<FixedVectorType>(DataTy);
  if (!VectorTy) // scalable vectors: no fixed lane count
    return;
  if (Addr->getType()->getScalarType()->getPointerAddressSpace() != 0)
    return;
  Type *ElementTy = VectorTy->getElementType();
  uint64_t ElementSize = DL.getTypeStoreSize(ElementTy).getFixedValue();
  if (ElementSize * 8 != DL.getTypeSizeInBits(ElementTy).getFixedValue())
    return; // lanes are not whole bytes (i1 vectors): no lane address
  if (!PerLanePointers && !mayBeShared(Addr))
    return;

  Constant *Site = Sites.site(Intrinsic);
  for (unsigned Lane = 0, Lanes = VectorTy->getNumElements(); Lane < Lanes;
       ++Lane) {
    Instruction *InsertBefore = &Intrinsic;
    Constant *ConstantBit = nullptr;
    if (auto *ConstantMask = dyn_cast<Constant>(Mask))
      ConstantBit = ConstantMask->getAggregateElement(Lane);
    if (ConstantBit && ConstantBit->isNullValue())
      continue;
    if (!ConstantBit || !ConstantBit->isOneValue()) {
      IRBuilder<> IRB(&Intrinsic);
      Value *Bit = IRB.CreateExtractElement(Mask, IRB.getInt64(Lane));
      InsertBefore = SplitBlockAndInsertIfThen(Bit, &Intrinsic, false);
    }
    IRBuilder<> IRB(InsertBefore);
    Value *LaneAddr =
        PerLanePointers ? IRB.CreateExtractElement(Addr, IRB.getInt64(Lane))
        : Lane == 0     ? Addr
                        : IRB.CreateConstGEP1_64(ElementTy, Addr, Lane);
    RT.emitAccessCheck(IRB, IsWrite, LaneAddr, ElementSize, Site);
    ++NumInstrumentedMaskedLanes;
  }
}

void AccessInstrumenter::instrumentMemIntrinsic(MemIntrinsic &MI) {
  IRBuilder<> IRB(&MI);
  Constant *Site = Sites.site(MI);
  Value *Length = IRB.CreateZExtOrTrunc(MI.getLength(), RT.LongTy);
  if (auto *Transfer = dyn_cast<MemTransferInst>(&MI))
    if (mayBeShared(Transfer->getRawSource()))
      IRB.CreateCall(RT.ReadRange, {Transfer->getRawSource(), Length, Site});
  if (mayBeShared(MI.getRawDest()))
    IRB.CreateCall(RT.WriteRange, {MI.getRawDest(), Length, Site});
  ++NumInstrumentedMemIntrinsics;
}

} // namespace racecheck
