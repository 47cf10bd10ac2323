//===- GlobalTable.cpp - register the module's globals --------------------===//
//
// The table of struct __racecheck_global entries and the module constructor
// (GlobalTable.h), and the flattening of a global's debug-info type into the
// layout string reports use to name the field a race is on.
//
//===----------------------------------------------------------------------===//
#include "GlobalTable.h"

#include "racecheck/interface.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <string>

using namespace llvm;

#define DEBUG_TYPE "racecheck"

STATISTIC(NumRegisteredGlobals, "Globals registered");

namespace racecheck {

namespace {

constexpr StringLiteral ModuleCtorName = "__racecheck_module_ctor";
// Layout strings are for reports only; a huge array of structs must not
// bloat the binary.
constexpr size_t MaxLayoutBytes = 4096;

/// Skips typedefs and cv/restrict/_Atomic qualifiers.
const DIType *stripQualifiers(const DIType *T) {
  while (auto *Derived = dyn_cast_or_null<DIDerivedType>(T)) {
    switch (Derived->getTag()) {
    case dwarf::DW_TAG_typedef:
    case dwarf::DW_TAG_const_type:
    case dwarf::DW_TAG_volatile_type:
    case dwarf::DW_TAG_restrict_type:
    case dwarf::DW_TAG_atomic_type:
      T = Derived->getBaseType();
      continue;
    default:
      return T;
    }
  }
  return T;
}

bool isRecordType(const DIType *T) {
  auto *Composite = dyn_cast_or_null<DICompositeType>(T);
  if (!Composite)
    return false;
  unsigned Tag = Composite->getTag();
  return Tag == dwarf::DW_TAG_structure_type ||
         Tag == dwarf::DW_TAG_class_type || Tag == dwarf::DW_TAG_union_type;
}

/// Flattens a variable's debug type into the layout string of
/// struct __racecheck_global: "path@offset+size" for each scalar member and
/// "path[]@offset+elemsize*count" for each array, followed, for arrays of
/// records, by the element's members as "path[].field@offset+size" with
/// offsets relative to the element.
class LayoutWriter {
public:
  std::string take() { return std::move(Out); }

  void flatten(const DIType *Type, const std::string &Path, uint64_t Offset,
               uint64_t Size) {
    Type = stripQualifiers(Type);
    if (Full)
      return;
    if (isRecordType(Type) &&
        flattenRecord(cast<DICompositeType>(Type), Path, Offset))
      return;
    if (auto *Composite = dyn_cast_or_null<DICompositeType>(Type);
        Composite && Composite->getTag() == dwarf::DW_TAG_array_type) {
      flattenArray(Composite, Path, Offset, Size);
      return;
    }
    entry(Path + "@" + std::to_string(Offset) + "+" + std::to_string(Size));
  }

private:
  static std::string join(const std::string &Path, StringRef Name) {
    if (Name.empty()) // anonymous struct/union member: fields lift up
      return Path;
    return Path.empty() ? Name.str() : Path + "." + Name.str();
  }

  /// Returns false when the record has no known members (forward
  /// declaration), so the caller describes it as a whole.
  bool flattenRecord(const DICompositeType *Record, const std::string &Path,
                     uint64_t Offset) {
    bool Any = false;
    for (const DINode *Element : Record->getElements()) {
      auto *Member = dyn_cast<DIDerivedType>(Element);
      if (!Member)
        continue; // methods, template parameters
      uint64_t BitOffset = Member->getOffsetInBits();
      if (Member->getTag() == dwarf::DW_TAG_inheritance) {
        // A base's fields read as the derived object's own; virtual bases
        // have no fixed offset, so they are left out.
        if (Member->getFlags() & DINode::FlagVirtual)
          continue;
        flatten(Member->getBaseType(), Path, Offset + BitOffset / 8,
                Member->getSizeInBits() / 8);
        Any = true;
        continue;
      }
      if (Member->getTag() != dwarf::DW_TAG_member || Member->isStaticMember())
        continue;
      std::string MemberPath = join(Path, Member->getName());
      if (Member->isBitField()) {
        // Bytes covering the bits, so an access to the storage unit maps.
        uint64_t FirstByte = BitOffset / 8;
        uint64_t Bytes = (BitOffset % 8 + Member->getSizeInBits() + 7) / 8;
        entry(MemberPath + "@" + std::to_string(Offset + FirstByte) + "+" +
              std::to_string(Bytes));
      } else {
        flatten(Member->getBaseType(), MemberPath, Offset + BitOffset / 8,
                Member->getSizeInBits() / 8);
      }
      Any = true;
    }
    return Any;
  }

  void flattenArray(const DICompositeType *Array, const std::string &Path,
                    uint64_t Offset, uint64_t Size) {
    // Multi-dimensional arrays are one DI type with several subranges (and
    // may nest); they are described as one run of innermost elements.
    uint64_t Count = 1;
    bool CountKnown = true;
    const DIType *Element = Array;
    while (auto *Composite = dyn_cast_or_null<DICompositeType>(Element)) {
      if (Composite->getTag() != dwarf::DW_TAG_array_type)
        break;
      for (const DINode *Dim : Composite->getElements()) {
        auto *Range = dyn_cast<DISubrange>(Dim);
        auto *Bound =
            Range ? dyn_cast_if_present<ConstantInt *>(Range->getCount())
                  : nullptr;
        if (!Bound || Bound->isNegative()) {
          CountKnown = false;
          continue;
        }
        Count *= Bound->getZExtValue();
      }
      Element = stripQualifiers(Composite->getBaseType());
    }
    uint64_t ElementSize = Element ? Element->getSizeInBits() / 8 : 0;
    if (ElementSize == 0) {
      entry(Path + "@" + std::to_string(Offset) + "+" + std::to_string(Size));
      return;
    }
    if (!CountKnown) // e.g. a flexible array member or `int a[];`
      Count = Size / ElementSize;
    entry(Path + "[]@" + std::to_string(Offset) + "+" +
          std::to_string(ElementSize) + "*" + std::to_string(Count));
    if (isRecordType(Element))
      flattenRecord(cast<DICompositeType>(Element), Path + "[]", 0);
  }

  void entry(const std::string &Entry) {
    if (Full)
      return;
    if (Out.size() + Entry.size() + 1 > MaxLayoutBytes) {
      Full = true; // keep whole entries only
      return;
    }
    if (!Out.empty())
      Out += ';';
    Out += Entry;
  }

  std::string Out;
  bool Full = false;
};

/// "ns::Class::x" or "function::x" for a C/C++ global described by DI.
std::string qualifiedName(const DIGlobalVariable *Var) {
  SmallVector<StringRef, 4> Parts{Var->getName()};
  // A static data member's definition sits at file scope; its declaration
  // (a member of the class) knows the class.
  const DIScope *Innermost = Var->getScope();
  if (const DIDerivedType *Member = Var->getStaticDataMemberDeclaration())
    Innermost = Member->getScope();
  for (const DIScope *Scope = Innermost; Scope; Scope = Scope->getScope()) {
    if (auto *Namespace = dyn_cast<DINamespace>(Scope))
      Parts.push_back(Namespace->getName().empty() ? "(anonymous namespace)"
                                                   : Namespace->getName());
    else if (isa<DICompositeType>(Scope) || isa<DISubprogram>(Scope))
      Parts.push_back(Scope->getName());
    else if (isa<DICompileUnit>(Scope) || isa<DIFile>(Scope))
      break;
    // Lexical blocks and modules add nothing.
  }
  std::string Name;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    if (It->empty())
      continue;
    if (!Name.empty())
      Name += "::";
    Name += It->str();
  }
  return Name;
}

/// The function that owns a global's declaration scope (function-local
/// statics), or null.
const DISubprogram *enclosingSubprogram(const DIGlobalVariable *Var) {
  for (const DIScope *Scope = Var->getScope(); Scope; Scope = Scope->getScope())
    if (auto *SP = dyn_cast<DISubprogram>(Scope))
      return SP;
  return nullptr;
}

} // namespace

bool GlobalTable::shouldRegister(const GlobalVariable &GV) const {
  if (GV.isDeclaration() || GV.hasAvailableExternallyLinkage())
    return false;
  if (GV.isConstant() || GV.isThreadLocal() || GV.getAddressSpace() != 0)
    return false;
  if (GV.hasSection() || isToolingGlobal(GV))
    return false; // special sections hold tool or linker data
  // A local symbol inside a comdat may be discarded with its group; our
  // table (outside the group) must not refer to it.
  if (GV.hasComdat() && GV.hasLocalLinkage())
    return false;
  return DL.getTypeAllocSize(GV.getValueType()) > 0;
}

Constant *GlobalTable::entry(GlobalVariable &GV) {
  uint64_t Size = DL.getTypeAllocSize(GV.getValueType());
  SmallVector<DIGlobalVariableExpression *, 1> DebugInfo;
  GV.getDebugInfo(DebugInfo);
  const DIGlobalVariable *Var =
      DebugInfo.empty() ? nullptr : DebugInfo.front()->getVariable();

  std::string Name, Layout;
  Constant *Site;
  if (Var) {
    Name = qualifiedName(Var);
    // The type's own size where DI knows it (a long double is 10 bytes
    // of a 16-byte object).
    uint64_t DeclaredSize =
        Var->getType() ? Var->getType()->getSizeInBits() / 8 : 0;
    LayoutWriter Writer;
    Writer.flatten(Var->getType(), "", 0, DeclaredSize ? DeclaredSize : Size);
    Layout = Writer.take();
    const DISubprogram *Owner = enclosingSubprogram(Var);
    Site = Sites.get(sourcePathOf(Var), Owner ? subprogramName(Owner) : "",
                     Var->getLine(), 0, nullptr);
  } else {
    // Without debug info the symbol is all we know; demangling turns
    // `_ZZ4mainE1x` into `main::x`.
    Name = demangle(GV.getName());
    Site = Sites.get(M.getSourceFileName(), "", 0, 0, nullptr);
  }
  Constant *Fields[abi::NumGlobalFields];
  Fields[abi::GlobalAddress] = &GV;
  Fields[abi::GlobalSize] = ConstantInt::get(RT.LongTy, Size);
  Fields[abi::GlobalName] = Sites.string(Name);
  Fields[abi::GlobalLayout] = Sites.string(Layout);
  Fields[abi::GlobalSite] = Site;
  return ConstantStruct::get(RT.GlobalTy, Fields);
}

void GlobalTable::emitModuleConstructor(bool RegisterGlobals) {
  SmallVector<Constant *, 16> Entries;
  if (RegisterGlobals) {
    SmallVector<GlobalVariable *, 16> Globals;
    for (GlobalVariable &GV : M.globals())
      if (shouldRegister(GV))
        Globals.push_back(&GV);
    for (GlobalVariable *GV : Globals)
      Entries.push_back(entry(*GV));
  }

  Function *Ctor = createSanitizerCtor(M, ModuleCtorName);
  IRBuilder<> IRB(Ctor->getEntryBlock().getTerminator());
  IRB.CreateCall(RT.Init,
                 {ConstantInt::get(RT.Int32Ty, RACECHECK_ABI_VERSION)});
  if (!Entries.empty()) {
    ArrayType *TableTy = ArrayType::get(RT.GlobalTy, Entries.size());
    auto *Table = new GlobalVariable(
        M, TableTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
        ConstantArray::get(TableTy, Entries), "__racecheck_globals");
    Table->setAlignment(Align(8));
    IRB.CreateCall(RT.RegisterGlobals,
                   {Table, ConstantInt::get(RT.LongTy, Entries.size())});
    NumRegisteredGlobals += Entries.size();
  }
  // Priority 0: before any user constructor of any module, so the runtime
  // knows every global before user code can touch one.
  appendToGlobalCtors(M, Ctor, 0);
}

} // namespace racecheck
