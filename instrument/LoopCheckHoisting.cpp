//===- LoopCheckHoisting.cpp - one check per loop nest, not per iteration -===//
//
// See LoopCheckHoisting.h for what is hoisted and why it is exact.
//
//===----------------------------------------------------------------------===//
#include "LoopCheckHoisting.h"

#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/IR/Instructions.h"

#include <algorithm>

using namespace llvm;

namespace racecheck {

LoopCheckHoisting::LoopCheckHoisting(
    LoopInfo &LI, ScalarEvolution &SE, DominatorTree &DT, const DataLayout &DL,
    function_ref<bool(const Instruction &)> IsSchedulingBarrier)
    : LI(LI), SE(SE), DT(DT), Int64Ty(Type::getInt64Ty(SE.getContext())),
      IsSchedulingBarrier(IsSchedulingBarrier),
      Expander(SE, DL, "racecheck.box") {}

bool LoopCheckHoisting::isSynchronizationFree(const Loop &L) {
  auto [It, Inserted] = SynchronizationFree.try_emplace(&L, true);
  if (!Inserted)
    return It->second;
  for (const BasicBlock *BB : L.blocks())
    for (const Instruction &I : *BB)
      if (IsSchedulingBarrier(I))
        return SynchronizationFree[&L] = false;
  return true;
}

/// BB runs exactly once per iteration of L: it lies in L itself (not in an
/// inner loop), L leaves only from its latch, so every iteration ends there,
/// and BB dominates the latch.
bool LoopCheckHoisting::runsOnEveryIteration(const BasicBlock &BB,
                                             const Loop &L) {
  const BasicBlock *Latch = L.getLoopLatch();
  return Latch && LI.getLoopFor(&BB) == &L && L.getExitingBlock() == Latch &&
         DT.dominates(&BB, Latch);
}

/// Iterations of one run of L (its header's executions), as i64; null when
/// not known exactly. With one exit at the latch that is the backedge-taken
/// count plus one.
const SCEV *LoopCheckHoisting::iterationCount(const Loop &L) {
  const SCEV *BackedgeTaken = SE.getBackedgeTakenCount(&L);
  if (isa<SCEVCouldNotCompute>(BackedgeTaken) ||
      !BackedgeTaken->getType()->isIntegerTy() ||
      BackedgeTaken->getType()->getIntegerBitWidth() > 64)
    return nullptr;
  return SE.getAddExpr(SE.getZeroExtendExpr(BackedgeTaken, Int64Ty),
                       SE.getOne(Int64Ty));
}

std::optional<LoopBoxCheck> LoopCheckHoisting::plan(Instruction &Access) {
  const Value *Pointer = getLoadStorePointerOperand(&Access);
  if (!Pointer || !SE.isSCEVable(Pointer->getType()))
    return std::nullopt;
  std::optional<LoopBoxCheck> Best;
  const SCEV *Address = SE.getSCEV(const_cast<Value *>(Pointer));
  SmallVector<BoxDimension, MaxBoxDimensions> Dimensions;
  // The block that must run on every iteration of the next level: the
  // access's own block, then the preheader of the loop below.
  const BasicBlock *Runs = Access.getParent();
  for (Loop *L = LI.getLoopFor(Runs); L; L = L->getParentLoop()) {
    BasicBlock *Preheader = L->getLoopPreheader();
    if (!Preheader || !isSynchronizationFree(*L) ||
        !runsOnEveryIteration(*Runs, *L))
      break;
    const SCEV *Count = iterationCount(*L);
    if (!Count)
      break;
    // Peel this loop's level off the address.
    if (auto *Rec = dyn_cast<SCEVAddRecExpr>(Address);
        Rec && Rec->getLoop() == L) {
      if (!Rec->isAffine())
        break;
      const SCEV *Stride =
          SE.getTruncateOrSignExtend(Rec->getStepRecurrence(SE), Int64Ty);
      if (!Stride->isZero()) {
        if (Dimensions.size() == MaxBoxDimensions)
          break;
        Dimensions.push_back({Count, Stride});
      }
      Address = Rec->getStart();
    } else if (!SE.isLoopInvariant(Address, L)) {
      break;
    }
    // Everything the box needs must be known before L starts.
    bool Invariant = SE.isLoopInvariant(Address, L);
    for (const BoxDimension &D : Dimensions)
      Invariant = Invariant && SE.isLoopInvariant(D.Count, L) &&
                  SE.isLoopInvariant(D.Stride, L);
    if (!Invariant)
      break;
    Instruction *InsertPoint = Preheader->getTerminator();
    bool Expandable = Expander.isSafeToExpandAt(Address, InsertPoint);
    for (const BoxDimension &D : Dimensions)
      Expandable = Expandable &&
                   Expander.isSafeToExpandAt(D.Count, InsertPoint) &&
                   Expander.isSafeToExpandAt(D.Stride, InsertPoint);
    if (!Expandable)
      break;
    Best = LoopBoxCheck{&Access, L, Address, Dimensions};
    Runs = Preheader;
  }
  return Best;
}

/// Whether two boxes differ at most in their base (and, for the first
/// dimension, nothing at all).
static bool sameShape(const LoopBoxCheck &A, const LoopBoxCheck &B) {
  if (A.OutermostLoop != B.OutermostLoop || A.Site != B.Site ||
      A.Size != B.Size || A.IsWrite != B.IsWrite ||
      A.Dimensions.size() != B.Dimensions.size())
    return false;
  for (unsigned I = 0; I < A.Dimensions.size(); ++I)
    if (A.Dimensions[I].Count != B.Dimensions[I].Count ||
        A.Dimensions[I].Stride != B.Dimensions[I].Stride)
      return false; // SCEVs are uniqued: equal means the same pointer
  return true;
}

void LoopCheckHoisting::coalesce(SmallVectorImpl<LoopBoxCheck> &Boxes) {
  SmallVector<LoopBoxCheck, 8> Result;
  SmallVector<bool, 8> Taken(Boxes.size(), false);
  for (unsigned First = 0; First < Boxes.size(); ++First) {
    if (Taken[First])
      continue;
    Taken[First] = true;
    const LoopBoxCheck &Leader = Boxes[First];
    // The leader's copies, by constant offset from its base; duplicates of
    // an offset already seen are dropped (identical boxes).
    SmallVector<std::pair<int64_t, unsigned>, 8> Copies = {{0, First}};
    for (unsigned Other = First + 1; Other < Boxes.size(); ++Other) {
      if (Taken[Other] || !sameShape(Leader, Boxes[Other]))
        continue;
      auto *Offset = dyn_cast<SCEVConstant>(
          SE.getMinusSCEV(Boxes[Other].Base, Leader.Base));
      if (!Offset || Offset->getAPInt().getSignificantBits() > 63)
        continue;
      Taken[Other] = true;
      int64_t Delta = Offset->getAPInt().getSExtValue();
      if (none_of(Copies, [&](auto &C) { return C.first == Delta; }))
        Copies.push_back({Delta, Other});
    }
    llvm::sort(Copies);
    // Interleaved copies: offsets o, o+s, ..., o+(k-1)s with k*s the first
    // dimension's stride (s < 0 walks downwards: start from the top).
    unsigned K = Copies.size();
    auto *Stride = Leader.Dimensions.empty()
                       ? nullptr
                       : dyn_cast<SCEVConstant>(Leader.Dimensions[0].Stride);
    bool Interleaved = K > 1 && Stride;
    int64_t Step = 0;
    if (Interleaved) {
      int64_t S = Stride->getAPInt().getSExtValue();
      Interleaved = S % int64_t(K) == 0;
      Step = S / int64_t(K);
      if (Step < 0)
        std::reverse(Copies.begin(), Copies.end());
      for (unsigned I = 1; Interleaved && I < K; ++I)
        Interleaved = Copies[I].first - Copies[0].first == int64_t(I) * Step;
    }
    if (Interleaved) {
      LoopBoxCheck Merged = Boxes[Copies[0].second];
      BoxDimension &D = Merged.Dimensions[0];
      D.Count = SE.getMulExpr(D.Count, SE.getConstant(Int64Ty, K));
      D.Stride = SE.getConstant(Int64Ty, Step, /*isSigned=*/true);
      Result.push_back(Merged);
      continue;
    }
    for (auto &C : Copies) // distinct boxes of one shape: keep each once
      Result.push_back(Boxes[C.second]);
  }
  Boxes.assign(Result.begin(), Result.end());
}

SmallVector<Value *, 1 + 2 * MaxBoxDimensions>
LoopCheckHoisting::expandOperands(const LoopBoxCheck &Check) {
  Instruction *InsertPoint = Check.OutermostLoop->getLoopPreheader()->getTerminator();
  SmallVector<Value *, 1 + 2 * MaxBoxDimensions> Operands;
  Operands.push_back(Expander.expandCodeFor(
      Check.Base, PointerType::getUnqual(SE.getContext()), InsertPoint));
  for (unsigned I = 0; I < MaxBoxDimensions; ++I) {
    if (I < Check.Dimensions.size()) {
      const BoxDimension &D = Check.Dimensions[I];
      Operands.push_back(Expander.expandCodeFor(D.Count, Int64Ty, InsertPoint));
      Operands.push_back(Expander.expandCodeFor(D.Stride, Int64Ty, InsertPoint));
    } else {
      Operands.push_back(ConstantInt::get(Int64Ty, 1));
      Operands.push_back(ConstantInt::get(Int64Ty, 0));
    }
  }
  return Operands;
}

} // namespace racecheck
