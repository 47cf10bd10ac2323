//===- LoopCheckHoisting.cpp - one check per loop nest, not per iteration -===//
//
// See LoopCheckHoisting.h for what is hoisted and why it is exact.
//
//===----------------------------------------------------------------------===//
#include "LoopCheckHoisting.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
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

/// How many times BB runs in one run of L, as i64, or null when that is not
/// known exactly. BB must lie in L itself (not in an inner loop) and
/// dominate the latch, and L must have one exiting block that dominates the
/// latch: every iteration but the last passes both the exit test and BB,
/// and the last leaves at the test. So BB runs backedge-taken + 1 times
/// when it comes before the test (dominates the exiting block) and
/// backedge-taken times when after it.
const SCEV *LoopCheckHoisting::executionCount(const BasicBlock &BB,
                                              const Loop &L, bool &MayBeZero) {
  const BasicBlock *Latch = L.getLoopLatch();
  const BasicBlock *Exiting = L.getExitingBlock();
  if (!Latch || !Exiting || LI.getLoopFor(&BB) != &L ||
      !DT.dominates(Exiting, Latch) || !DT.dominates(&BB, Latch))
    return nullptr;
  const SCEV *BackedgeTaken = SE.getBackedgeTakenCount(&L);
  if (isa<SCEVCouldNotCompute>(BackedgeTaken) ||
      !BackedgeTaken->getType()->isIntegerTy() ||
      BackedgeTaken->getType()->getIntegerBitWidth() > 64)
    return nullptr;
  const SCEV *Taken = SE.getZeroExtendExpr(BackedgeTaken, Int64Ty);
  MayBeZero = !DT.dominates(&BB, Exiting);
  if (!MayBeZero)
    return SE.getAddExpr(Taken, SE.getOne(Int64Ty));
  return Taken;
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
    if (!Preheader || !isSynchronizationFree(*L))
      break;
    bool MayBeZero = false;
    const SCEV *Count = executionCount(*Runs, *L, MayBeZero);
    if (!Count)
      break;
    // A level whose count may be 0 (the access comes after the exit test)
    // stays in the box even without a stride, so that the box checks
    // nothing when the access never runs.
    bool KeepLevel = MayBeZero && !SE.isKnownPositive(Count);
    // Peel this loop's level off the address.
    if (auto *Rec = dyn_cast<SCEVAddRecExpr>(Address);
        Rec && Rec->getLoop() == L) {
      if (!Rec->isAffine())
        break;
      const SCEV *Stride =
          SE.getTruncateOrSignExtend(Rec->getStepRecurrence(SE), Int64Ty);
      if (!Stride->isZero() || KeepLevel) {
        if (Dimensions.size() == MaxBoxDimensions)
          break;
        Dimensions.push_back({Count, Stride});
      }
      Address = Rec->getStart();
    } else if (!SE.isLoopInvariant(Address, L)) {
      break;
    } else if (KeepLevel) {
      if (Dimensions.size() == MaxBoxDimensions)
        break;
      Dimensions.push_back({Count, SE.getZero(Int64Ty)});
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

/// Whether two boxes differ at most in their base and in the count of their
/// first dimension.
static bool sameShape(const LoopBoxCheck &A, const LoopBoxCheck &B) {
  if (A.OutermostLoop != B.OutermostLoop || A.Site != B.Site ||
      A.Size != B.Size || A.IsWrite != B.IsWrite ||
      A.Dimensions.size() != B.Dimensions.size())
    return false;
  for (unsigned I = 0; I < A.Dimensions.size(); ++I)
    if ((I > 0 && A.Dimensions[I].Count != B.Dimensions[I].Count) ||
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
      auto Same = find_if(Copies, [&](auto &C) { return C.first == Delta; });
      if (Same == Copies.end()) {
        Copies.push_back({Delta, Other});
      } else if (!Boxes[Other].Dimensions.empty() &&
                 Boxes[Same->second].Dimensions[0].Count !=
                     Boxes[Other].Dimensions[0].Count) {
        Taken[Other] = false; // same base, other count: not a duplicate
      }
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
      // Element q*K + i of the merged walk is copy i's iteration q: gapless
      // when the copies' counts, in walk order, are c..c then c-1..c-1.
      const SCEV *First = Boxes[Copies[0].second].Dimensions[0].Count;
      bool Dropped = false;
      for (unsigned I = 1; Interleaved && I < K; ++I) {
        const SCEV *Count = Boxes[Copies[I].second].Dimensions[0].Count;
        if (Count == First && !Dropped)
          continue;
        auto *Less = dyn_cast<SCEVConstant>(SE.getMinusSCEV(First, Count));
        Interleaved = Less && Less->getAPInt().isOne();
        Dropped = true;
      }
    }
    if (Interleaved) {
      LoopBoxCheck Merged = Boxes[Copies[0].second];
      BoxDimension &D = Merged.Dimensions[0];
      SmallVector<const SCEV *, 8> Counts;
      for (auto &C : Copies)
        Counts.push_back(Boxes[C.second].Dimensions[0].Count);
      D.Count = SE.getAddExpr(Counts);
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
  Instruction *InsertPoint =
      Check.OutermostLoop->getLoopPreheader()->getTerminator();
  SmallVector<Value *, 1 + 2 * MaxBoxDimensions> Operands;
  Operands.push_back(Expander.expandCodeFor(
      Check.Base, PointerType::getUnqual(SE.getContext()), InsertPoint));
  for (unsigned I = 0; I < MaxBoxDimensions; ++I) {
    if (I < Check.Dimensions.size()) {
      const BoxDimension &D = Check.Dimensions[I];
      Operands.push_back(Expander.expandCodeFor(D.Count, Int64Ty, InsertPoint));
      Operands.push_back(
          Expander.expandCodeFor(D.Stride, Int64Ty, InsertPoint));
    } else {
      Operands.push_back(ConstantInt::get(Int64Ty, 1));
      Operands.push_back(ConstantInt::get(Int64Ty, 0));
    }
  }
  return Operands;
}

} // namespace racecheck
