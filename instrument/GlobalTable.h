//===- GlobalTable.h - register the module's globals ------------*- C++ -*-===//
//
// Reports name the variable a race is on. For heap and stack memory the
// runtime knows the allocation; for globals the pass tells it: one constant
// struct __racecheck_global per global variable of the module (address,
// size, qualified name, the layout of its fields from debug info, and where
// it is declared), handed to __racecheck_register_globals by a priority-0
// module constructor, which first calls __racecheck_init with the ABI
// version.
//
//===----------------------------------------------------------------------===//
#ifndef RACECHECK_INSTRUMENT_GLOBALTABLE_H
#define RACECHECK_INSTRUMENT_GLOBALTABLE_H

#include "RuntimeInterface.h"
#include "SiteTable.h"

#include "llvm/IR/Module.h"

namespace racecheck {

/// Builds the module constructor and the table of the module's globals.
class GlobalTable {
public:
  GlobalTable(llvm::Module &M, SiteTable &Sites, const RuntimeInterface &RT)
      : M(M), DL(M.getDataLayout()), Sites(Sites), RT(RT) {}

  /// Emits __racecheck_module_ctor (priority 0): __racecheck_init, then,
  /// with RegisterGlobals and any global to register, the table and its
  /// registration.
  void emitModuleConstructor(bool RegisterGlobals);

private:
  bool shouldRegister(const llvm::GlobalVariable &GV) const;
  llvm::Constant *entry(llvm::GlobalVariable &GV);

  llvm::Module &M;
  const llvm::DataLayout &DL;
  SiteTable &Sites;
  const RuntimeInterface &RT;
};

} // namespace racecheck

#endif // RACECHECK_INSTRUMENT_GLOBALTABLE_H
