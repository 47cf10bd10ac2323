//===- LoopCheckHoisting.h - one check per loop nest, not per iteration ---===//
//
// Static check coalescing for loops (the idea of BigFoot, Rhodes, Flanagan
// and Freund, PLDI'17, adapted to a serializing runtime): a plain access in a
// loop nest that cannot synchronize, whose address is an affine function of
// the loop counters and which runs in every iteration, is checked once, in
// the preheader of the outermost such loop, as a "box" of addresses
//   Base + i0*Stride0 + i1*Stride1 + i2*Stride2,  0 <= id < Countd.
//
// Why this finds exactly the races per-iteration checks find: race detection
// compares the accessing thread's vector clock with the shadow of each byte.
// A loop without synchronisation (no call but benign intrinsics, no atomic,
// no fence) leaves the thread's clock unchanged from its preheader to its
// exit, so checking every address of the box at the preheader compares the
// same clock against the same shadow. Another thread can only run inside the
// loop at a forced preemption of another check; its conflicting access then
// finds the box's cells in the shadow, exactly as it would find the
// per-iteration cells. The box is exact, never larger than what the loop
// touches: each loop level must have one exiting block, on every path to its
// latch, and an exact trip count that does not change within the nest, and
// must run the access (or the inner loop) on every iteration: all of them
// when it comes before the exit test, all but the last when after it (an
// unrolled loop whose exit test sits in the middle of its body).
//
//===----------------------------------------------------------------------===//
#ifndef RACECHECK_INSTRUMENT_LOOPCHECKHOISTING_H
#define RACECHECK_INSTRUMENT_LOOPCHECKHOISTING_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/IR/Dominators.h"
#include "llvm/Transforms/Utils/ScalarEvolutionExpander.h"

#include <optional>

namespace racecheck {

/// The runtime's box calls take at most this many dimensions.
inline constexpr unsigned MaxBoxDimensions = 3;

/// One dimension of a box: how many iterations, and how far apart (bytes,
/// may be negative) the addresses of consecutive iterations are.
struct BoxDimension {
  const llvm::SCEV *Count;  // i64; may be 0 (then nothing is accessed)
  const llvm::SCEV *Stride; // i64
};

/// One access whose per-iteration check becomes one box check.
struct LoopBoxCheck {
  llvm::Instruction *Access;
  llvm::Loop *OutermostLoop; // the box check goes into its preheader
  const llvm::SCEV *Base;    // the address at iteration 0 of every level
  llvm::SmallVector<BoxDimension, MaxBoxDimensions> Dimensions;
  // Filled in by the caller before coalesce(): what the runtime is told.
  llvm::Constant *Site = nullptr;
  uint64_t Size = 0;
  bool IsWrite = false;
};

class LoopCheckHoisting {
public:
  /// IsSchedulingBarrier says whether an instruction may synchronize or
  /// reach a scheduling point (calls, atomics, fences, memory intrinsics):
  /// a loop containing one keeps its per-iteration checks.
  LoopCheckHoisting(
      llvm::LoopInfo &LI, llvm::ScalarEvolution &SE, llvm::DominatorTree &DT,
      const llvm::DataLayout &DL,
      llvm::function_ref<bool(const llvm::Instruction &)> IsSchedulingBarrier);

  /// The box check that can replace the checks of the plain (simple) load
  /// or store Access, hoisted as far out as it stays exact; none when the
  /// access is not in a loop or its innermost loop does not qualify.
  std::optional<LoopBoxCheck> plan(llvm::Instruction &Access);

  /// Merges boxes that are copies of one source access made by unrolling or
  /// vectorizing: same loop, kind, size, site and dimensions, bases a
  /// constant apart. Identical boxes become one; k copies whose bases step
  /// by S/k, where S is the first dimension's stride, become one box whose
  /// first dimension has k times the count and stride S/k (an unrolled
  /// a[i], a[i+1], ... is again one walk over a). Copies after the exit test
  /// of a loop run one iteration less than those before it; they still merge
  /// when the walk stays gapless (counts falling by at most one, once, in
  /// walk order), into the sum of their counts.
  void coalesce(llvm::SmallVectorImpl<LoopBoxCheck> &Boxes);

  /// Emits the values a planned box needs at the end of its loop's
  /// preheader: base pointer, then count and stride of each dimension
  /// (MaxBoxDimensions pairs; unused ones are count 1, stride 0).
  llvm::SmallVector<llvm::Value *, 1 + 2 * MaxBoxDimensions>
  expandOperands(const LoopBoxCheck &Check);

private:
  bool isSynchronizationFree(const llvm::Loop &L);
  const llvm::SCEV *executionCount(const llvm::BasicBlock &BB,
                                   const llvm::Loop &L, bool &MayBeZero);

  llvm::LoopInfo &LI;
  llvm::ScalarEvolution &SE;
  llvm::DominatorTree &DT;
  llvm::IntegerType *Int64Ty;
  llvm::function_ref<bool(const llvm::Instruction &)> IsSchedulingBarrier;
  llvm::SCEVExpander Expander;
  llvm::DenseMap<const llvm::Loop *, bool> SynchronizationFree;
};

} // namespace racecheck

#endif // RACECHECK_INSTRUMENT_LOOPCHECKHOISTING_H
