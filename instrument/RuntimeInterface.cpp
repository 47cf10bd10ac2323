//===- RuntimeInterface.cpp - declare the runtime ABI in a module ---------===//
//
// Declares the runtime's entry points and the call-site TLS variable in the
// module being instrumented, and maps the descriptor layouts of AbiLayout.h
// to IR struct types.
//
//===----------------------------------------------------------------------===//
#include "RuntimeInterface.h"
#include "LoopCheckHoisting.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/GlobalVariable.h"

#include <string>

using namespace llvm;

namespace racecheck {

namespace {

constexpr StringLiteral CallSiteVarName = "__racecheck_call_site";

/// Index into the sized entry points for an access of Size bytes, or -1 when
/// the access needs the *_range form.
int sizedCalleeIndex(uint64_t Size) {
  switch (Size) {
  case 1:
    return 0;
  case 2:
    return 1;
  case 4:
    return 2;
  case 8:
    return 3;
  case 16:
    return 4;
  default:
    return -1;
  }
}

FunctionCallee declare(Module &M, StringRef Name, Type *Result,
                       ArrayRef<Type *> Params) {
  // nounwind: the runtime never throws, and EscapeEnumerator must not turn
  // our calls into invokes.
  AttributeList Attrs =
      AttributeList().addFnAttribute(M.getContext(), Attribute::NoUnwind);
  return M.getOrInsertFunction(Name, FunctionType::get(Result, Params, false),
                               Attrs);
}

} // namespace

bool isToolingGlobal(const GlobalValue &GV) {
  StringRef Name = GV.getName();
  return Name.starts_with("llvm.") || Name.starts_with(RuntimePrefix) ||
         Name.starts_with("__llvm_") || Name.starts_with("__profc_") ||
         Name.starts_with("__profd_") || Name.starts_with("__profn_") ||
         Name.starts_with("__profvp_");
}

StructType *abiStructType(LLVMContext &Ctx, const DataLayout &DL,
                          ArrayRef<abi::Field> Fields) {
  SmallVector<Type *, 8> Types;
  for (const abi::Field &Field : Fields) {
    switch (Field.Type) {
    case abi::FieldType::Pointer:
      Types.push_back(PointerType::getUnqual(Ctx));
      break;
    case abi::FieldType::UnsignedInt:
      Types.push_back(Type::getInt32Ty(Ctx));
      break;
    case abi::FieldType::UnsignedLong:
      Types.push_back(DL.getIntPtrType(Ctx));
      break;
    }
  }
  return StructType::get(Ctx, Types);
}

RuntimeInterface::RuntimeInterface(Module &M) {
  LLVMContext &Ctx = M.getContext();
  const DataLayout &DL = M.getDataLayout();
  PtrTy = PointerType::getUnqual(Ctx);
  VoidTy = Type::getVoidTy(Ctx);
  Int32Ty = Type::getInt32Ty(Ctx);
  Int64Ty = Type::getInt64Ty(Ctx);
  LongTy = DL.getIntPtrType(Ctx);
  SiteTy = abiStructType(Ctx, DL, abi::SiteFields);
  GlobalTy = abiStructType(Ctx, DL, abi::GlobalFields);

  static const unsigned Sizes[NumAccessSizes] = {1, 2, 4, 8, 16};
  for (unsigned I = 0; I < NumAccessSizes; ++I) {
    std::string N = std::to_string(Sizes[I]);
    ReadN[I] = declare(M, "__racecheck_read" + N, VoidTy, {PtrTy, PtrTy});
    WriteN[I] = declare(M, "__racecheck_write" + N, VoidTy, {PtrTy, PtrTy});
  }
  ReadRange =
      declare(M, "__racecheck_read_range", VoidTy, {PtrTy, LongTy, PtrTy});
  WriteRange =
      declare(M, "__racecheck_write_range", VoidTy, {PtrTy, LongTy, PtrTy});
  VptrUpdate =
      declare(M, "__racecheck_vptr_update", VoidTy, {PtrTy, PtrTy, PtrTy});
  SmallVector<Type *, 9> BoxParams = {PtrTy, LongTy};
  BoxParams.append(2 * MaxBoxDimensions, LongTy);
  BoxParams.push_back(PtrTy);
  ReadBox = declare(M, "__racecheck_read_box", VoidTy, BoxParams);
  WriteBox = declare(M, "__racecheck_write_box", VoidTy, BoxParams);
  AtomicOp =
      declare(M, "__racecheck_atomic_op", VoidTy,
              {PtrTy, Int32Ty, Int32Ty, Int32Ty, Int32Ty, Int64Ty, PtrTy});
  AtomicRmw = declare(M, "__racecheck_atomic_int_rmw", VoidTy,
                      {PtrTy, Int32Ty, Int32Ty, Int32Ty, Int64Ty, PtrTy});
  AtomicFence =
      declare(M, "__racecheck_atomic_fence", VoidTy, {Int32Ty, PtrTy});
  FuncEntry = declare(M, "__racecheck_func_entry", VoidTy, {PtrTy});
  FuncExit = declare(M, "__racecheck_func_exit", VoidTy, {});
  Init = declare(M, "__racecheck_init", VoidTy, {Int32Ty});
  RegisterGlobals =
      declare(M, "__racecheck_register_globals", VoidTy, {PtrTy, LongTy});

  // The runtime defines it in the executable: initial-exec is always valid
  // and avoids a __tls_get_addr call per store. A declaration the module
  // already has (from interface.h) gets the same model.
  CallSiteVar = M.getGlobalVariable(CallSiteVarName);
  if (!CallSiteVar)
    CallSiteVar = new GlobalVariable(
        M, PtrTy, /*isConstant=*/false, GlobalValue::ExternalLinkage,
        /*Initializer=*/nullptr, CallSiteVarName, /*InsertBefore=*/nullptr,
        GlobalValue::InitialExecTLSModel);
  else if (CallSiteVar->isDeclaration())
    CallSiteVar->setThreadLocalMode(GlobalValue::InitialExecTLSModel);
}

bool RuntimeInterface::emitAccessCheck(IRBuilder<> &IRB, bool IsWrite,
                                       Value *Ptr, uint64_t Size,
                                       Constant *Site) const {
  int Index = sizedCalleeIndex(Size);
  if (Index >= 0) {
    IRB.CreateCall(IsWrite ? WriteN[Index] : ReadN[Index], {Ptr, Site});
    return false;
  }
  IRB.CreateCall(IsWrite ? WriteRange : ReadRange,
                 {Ptr, ConstantInt::get(LongTy, Size), Site});
  return true;
}

} // namespace racecheck
