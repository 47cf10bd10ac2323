//===- RuntimeInterface.h - the runtime ABI as the pass sees it -*- C++ -*-===//
//
// The declarations the instrumentation calls into, made once per module:
// every __racecheck_* entry point of runtime/include/racecheck/interface.h
// the pass uses, the TLS call-site slot, the IR types of the descriptor
// structs (from AbiLayout.h), and which globals belong to the tooling rather
// than to the program.
//
//===----------------------------------------------------------------------===//
#ifndef RACECHECK_INSTRUMENT_RUNTIMEINTERFACE_H
#define RACECHECK_INSTRUMENT_RUNTIMEINTERFACE_H

#include "AbiLayout.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

namespace racecheck {

/// Every symbol of the runtime, and of the pass's own output, starts with it.
inline constexpr llvm::StringLiteral RuntimePrefix = "__racecheck";

/// Objects the compiler or another instrumentation owns: never user data.
bool isToolingGlobal(const llvm::GlobalValue &GV);

/// The IR type of a descriptor struct laid out as Fields (AbiLayout.h):
/// pointers in address space 0, unsigned int as i32, unsigned long as the
/// target's pointer-sized integer.
llvm::StructType *abiStructType(llvm::LLVMContext &Ctx,
                                const llvm::DataLayout &DL,
                                llvm::ArrayRef<abi::Field> Fields);

/// Access sizes with a dedicated entry point: 1, 2, 4, 8, 16 bytes.
inline constexpr unsigned NumAccessSizes = 5;

/// The runtime's entry points, declared in the module (nounwind), and the
/// types the instrumentation builds calls and descriptors with.
struct RuntimeInterface {
  explicit RuntimeInterface(llvm::Module &M);

  /// Calls the check of a plain access of Size bytes at Ptr before IRB's
  /// insertion point: the sized entry point when there is one, else the
  /// *_range form. Returns whether it was the range form.
  bool emitAccessCheck(llvm::IRBuilder<> &IRB, bool IsWrite, llvm::Value *Ptr,
                       uint64_t Size, llvm::Constant *Site) const;

  llvm::PointerType *PtrTy;
  llvm::Type *VoidTy;
  llvm::IntegerType *Int32Ty, *Int64Ty;
  llvm::IntegerType *LongTy;  // unsigned long
  llvm::StructType *SiteTy;   // struct __racecheck_site
  llvm::StructType *GlobalTy; // struct __racecheck_global

  llvm::FunctionCallee ReadN[NumAccessSizes], WriteN[NumAccessSizes];
  llvm::FunctionCallee ReadRange, WriteRange, ReadBox, WriteBox, VptrUpdate;
  llvm::FunctionCallee AtomicOp, AtomicRmw, AtomicFence;
  llvm::FunctionCallee FuncEntry, FuncExit, Init, RegisterGlobals;
  /// __racecheck_call_site, the thread's current call site.
  llvm::GlobalVariable *CallSiteVar = nullptr;
};

} // namespace racecheck

#endif // RACECHECK_INSTRUMENT_RUNTIMEINTERFACE_H
