//===- AtomicInstrumenter.cpp - report atomics and fences -----------------===//
//
// The calls that report atomic operations and fences (AtomicInstrumenter.h),
// with LLVM's orderings mapped to the ABI's C11 memory orders.
//
//===----------------------------------------------------------------------===//
#include "AtomicInstrumenter.h"

#include "racecheck/interface.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/IRBuilder.h"

using namespace llvm;

#define DEBUG_TYPE "racecheck"

STATISTIC(NumInstrumentedAtomics, "Atomic operations instrumented");
STATISTIC(NumInstrumentedFences, "Fences instrumented");

namespace racecheck {

namespace {

unsigned toC11Order(AtomicOrdering Ordering) {
  switch (Ordering) {
  case AtomicOrdering::NotAtomic: // not reached for atomic instructions
  case AtomicOrdering::Unordered:
  case AtomicOrdering::Monotonic:
    return __racecheck_relaxed;
  case AtomicOrdering::Acquire:
    return __racecheck_acquire;
  case AtomicOrdering::Release:
    return __racecheck_release;
  case AtomicOrdering::AcquireRelease:
    return __racecheck_acq_rel;
  case AtomicOrdering::SequentiallyConsistent:
    return __racecheck_seq_cst;
  }
  llvm_unreachable("unknown atomic ordering");
}

/// What __racecheck_atomic_op is told about one atomic instruction.
struct AtomicAccess {
  Value *Addr;
  Type *ValueTy;
  unsigned Kind; // enum __racecheck_atomic_kind
  AtomicOrdering Order, FailureOrder;
  Value *Expected = nullptr; // cmpxchg only
};

AtomicAccess describe(Instruction &I) {
  if (auto *Load = dyn_cast<LoadInst>(&I))
    return {Load->getPointerOperand(), Load->getType(), __racecheck_atomic_load,
            Load->getOrdering(), Load->getOrdering()};
  if (auto *Store = dyn_cast<StoreInst>(&I))
    return {Store->getPointerOperand(), Store->getValueOperand()->getType(),
            __racecheck_atomic_store, Store->getOrdering(),
            Store->getOrdering()};
  if (auto *RMW = dyn_cast<AtomicRMWInst>(&I))
    return {RMW->getPointerOperand(), RMW->getValOperand()->getType(),
            __racecheck_atomic_rmw, RMW->getOrdering(), RMW->getOrdering()};
  auto *CmpXchg = cast<AtomicCmpXchgInst>(&I);
  return {
      CmpXchg->getPointerOperand(),  CmpXchg->getCompareOperand()->getType(),
      __racecheck_atomic_cmpxchg,    CmpXchg->getSuccessOrdering(),
      CmpXchg->getFailureOrdering(), CmpXchg->getCompareOperand()};
}

/// The ABI's name for an integer RMW the runtime can reason about, or -1
/// (the others go through __racecheck_atomic_op).
int rmwOp(const AtomicRMWInst &RMW) {
  switch (RMW.getOperation()) {
  case AtomicRMWInst::Xchg:
    return __racecheck_rmw_xchg;
  case AtomicRMWInst::Add:
    return __racecheck_rmw_add;
  case AtomicRMWInst::Sub:
    return __racecheck_rmw_sub;
  case AtomicRMWInst::And:
    return __racecheck_rmw_and;
  case AtomicRMWInst::Or:
    return __racecheck_rmw_or;
  case AtomicRMWInst::Xor:
    return __racecheck_rmw_xor;
  default:
    return -1;
  }
}

} // namespace

/// An integer RMW of 1, 2, 4 or 8 bytes: __racecheck_atomic_int_rmw with its
/// operation and operand, so the runtime need not read the location to
/// know whether the value can stay unchanged. False for the others.
bool AtomicInstrumenter::instrumentIntegerRmw(AtomicRMWInst &RMW, uint64_t Size,
                                              FunctionSites &Sites) {
  int Op = rmwOp(RMW);
  Value *Operand = RMW.getValOperand();
  if (Op < 0 || !Operand->getType()->isIntegerTy() ||
      (Size != 1 && Size != 2 && Size != 4 && Size != 8))
    return false;
  IRBuilder<> IRB(&RMW);
  IRB.CreateCall(RT.AtomicRmw,
                 {RMW.getPointerOperand(), ConstantInt::get(RT.Int32Ty, Size),
                  ConstantInt::get(RT.Int32Ty, Op),
                  ConstantInt::get(RT.Int32Ty, toC11Order(RMW.getOrdering())),
                  IRB.CreateZExtOrTrunc(Operand, RT.Int64Ty), Sites.site(RMW)});
  ++NumInstrumentedAtomics;
  return true;
}

void AtomicInstrumenter::instrumentFence(FenceInst &Fence,
                                         FunctionSites &Sites) {
  // A signal fence orders nothing between threads.
  if (Fence.getSyncScopeID() == SyncScope::SingleThread)
    return;
  IRBuilder<> IRB(&Fence);
  IRB.CreateCall(RT.AtomicFence,
                 {ConstantInt::get(RT.Int32Ty, toC11Order(Fence.getOrdering())),
                  Sites.site(Fence)});
  ++NumInstrumentedFences;
}

void AtomicInstrumenter::instrument(Instruction &I, FunctionSites &Sites) {
  if (auto *Fence = dyn_cast<FenceInst>(&I)) {
    instrumentFence(*Fence, Sites);
    return;
  }
  AtomicAccess Access = describe(I);
  if (Access.Addr->getType()->getPointerAddressSpace() != 0)
    return;
  TypeSize StoreSize = DL.getTypeStoreSize(Access.ValueTy);
  if (StoreSize.isScalable())
    return;
  uint64_t Size = StoreSize.getFixedValue();
  if (auto *RMW = dyn_cast<AtomicRMWInst>(&I);
      RMW && instrumentIntegerRmw(*RMW, Size, Sites))
    return;

  IRBuilder<> IRB(&I);
  Value *ExpectedArg = ConstantInt::get(RT.Int64Ty, 0);
  if (Value *Expected = Access.Expected; Expected && Size <= 8) {
    if (Expected->getType()->isPointerTy())
      ExpectedArg = IRB.CreatePtrToInt(Expected, RT.Int64Ty);
    else if (Expected->getType()->isIntegerTy())
      ExpectedArg = IRB.CreateZExtOrTrunc(Expected, RT.Int64Ty);
  }
  IRB.CreateCall(RT.AtomicOp,
                 {Access.Addr, ConstantInt::get(RT.Int32Ty, Size),
                  ConstantInt::get(RT.Int32Ty, Access.Kind),
                  ConstantInt::get(RT.Int32Ty, toC11Order(Access.Order)),
                  ConstantInt::get(RT.Int32Ty, toC11Order(Access.FailureOrder)),
                  ExpectedArg, Sites.site(I)});
  ++NumInstrumentedAtomics;
}

} // namespace racecheck
