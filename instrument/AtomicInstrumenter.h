//===- AtomicInstrumenter.h - report atomics and fences ---------*- C++ -*-===//
//
// Each atomic load, store, read-modify-write, compare-and-exchange and fence
// is reported to the runtime just before it runs (__racecheck_atomic_op,
// __racecheck_atomic_int_rmw for integer RMWs with their operation and operand,
// __racecheck_atomic_fence), with its size, kind and C11 memory orders: the
// runtime models the happens-before edges atomics create and may switch
// threads there. The operation itself stays as the program wrote it.
//
//===----------------------------------------------------------------------===//
#ifndef RACECHECK_INSTRUMENT_ATOMICINSTRUMENTER_H
#define RACECHECK_INSTRUMENT_ATOMICINSTRUMENTER_H

#include "RuntimeInterface.h"
#include "SiteTable.h"

#include "llvm/IR/Instructions.h"

namespace racecheck {

class AtomicInstrumenter {
public:
  AtomicInstrumenter(const RuntimeInterface &RT, const llvm::DataLayout &DL)
      : RT(RT), DL(DL) {}

  /// I is an atomic load or store, an atomicrmw, a cmpxchg or a fence.
  void instrument(llvm::Instruction &I, FunctionSites &Sites);

private:
  void instrumentFence(llvm::FenceInst &Fence, FunctionSites &Sites);
  bool instrumentIntegerRmw(llvm::AtomicRMWInst &RMW, uint64_t Size,
                            FunctionSites &Sites);

  const RuntimeInterface &RT;
  const llvm::DataLayout &DL;
};

} // namespace racecheck

#endif // RACECHECK_INSTRUMENT_ATOMICINSTRUMENTER_H
