//===- RacecheckPass.cpp - instrument a module for racecheck --------------===//
//
// The racecheck instrumentation: a required module pass that inserts calls to
// the runtime ABI (runtime/include/racecheck/interface.h) so that the runtime
// sees, before they happen,
//   - every plain load/store that may touch shared memory, and each active
//     lane of masked loads/stores and gathers/scatters
//       -> __racecheck_read{1,2,4,8,16} / __racecheck_write{...} / *_range,
//   - every atomic operation and fence
//       -> __racecheck_atomic_op / __racecheck_atomic_fence,
//   - memcpy/memmove/memset intrinsics -> *_range,
//   - function entry and every exit, including unwinding
//       -> __racecheck_func_entry / __racecheck_func_exit,
//   - the call site of every call, stored in the TLS __racecheck_call_site,
// and registers the module's globals from a module constructor.
//
// The design follows LLVM's ThreadSanitizer pass (ThreadSanitizer.cpp):
// same placement (OptimizerLast), same use of EscapeEnumerator for exits, and
// the same "non-escaping alloca" filter (a local whose address is never
// captured cannot be seen by another thread, so it cannot race). Unlike TSan,
// source positions are passed as pointers to constant site descriptors, so the
// runtime reports file:line:column and inlining without symbolizing.
//
//===----------------------------------------------------------------------===//
#include "RacecheckPass.h"
#include "LoopCheckHoisting.h"

#include "racecheck/interface.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Analysis/CaptureTracking.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/EscapeEnumerator.h"
#include "llvm/Transforms/Utils/LoopUtils.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <map>
#include <string>
#include <tuple>

using namespace llvm;

#define DEBUG_TYPE "racecheck"

static cl::opt<bool>
    ClInstrumentMemory("racecheck-instrument-memory", cl::init(true),
                       cl::desc("racecheck: instrument plain loads and stores"),
                       cl::Hidden);
static cl::opt<bool> ClInstrumentAtomics(
    "racecheck-instrument-atomics", cl::init(true),
    cl::desc("racecheck: instrument atomic operations and fences"), cl::Hidden);
static cl::opt<bool> ClInstrumentMemIntrinsics(
    "racecheck-instrument-memintrinsics", cl::init(true),
    cl::desc("racecheck: instrument memcpy/memmove/memset intrinsics"),
    cl::Hidden);
static cl::opt<bool> ClInstrumentCalls(
    "racecheck-instrument-calls", cl::init(true),
    cl::desc("racecheck: record the call site before each call"), cl::Hidden);
static cl::opt<bool> ClInstrumentFuncEntryExit(
    "racecheck-instrument-func-entry-exit", cl::init(true),
    cl::desc("racecheck: instrument function entry and exit"), cl::Hidden);
static cl::opt<bool> ClRegisterGlobals(
    "racecheck-register-globals", cl::init(true),
    cl::desc("racecheck: register the module's globals with the runtime"),
    cl::Hidden);
static cl::opt<bool> ClElideReadBeforeWrite(
    "racecheck-elide-read-before-write", cl::init(true),
    cl::desc("racecheck: within a basic block, do not check a load that a "
             "later store to the same pointer covers, nor an access that "
             "repeats the previous check (ThreadSanitizer's "
             "chooseInstructionsToInstrument)"),
    cl::Hidden);
static cl::opt<bool> ClHoistLoopChecks(
    "racecheck-hoist-loop-checks", cl::init(true),
    cl::desc("racecheck: check an access of a loop nest without "
             "synchronisation once, before the nest, over all the addresses "
             "it touches (BigFoot-style check coalescing)"),
    cl::Hidden);
static cl::opt<bool> ClHandleCxxExceptions(
    "racecheck-handle-cxx-exceptions", cl::init(true),
    cl::desc("racecheck: call __racecheck_func_exit also when an exception "
             "unwinds through a function"),
    cl::Hidden);

STATISTIC(NumInstrumentedFunctions, "Functions instrumented");
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
STATISTIC(NumInstrumentedAtomics, "Atomic operations instrumented");
STATISTIC(NumInstrumentedFences, "Fences instrumented");
STATISTIC(NumInstrumentedMemIntrinsics, "Memory intrinsics instrumented");
STATISTIC(NumInstrumentedMaskedLanes,
          "Lanes of masked loads/stores/gathers/scatters instrumented");
STATISTIC(NumCallSiteStores, "Calls with a recorded call site");
STATISTIC(NumRegisteredGlobals, "Globals registered");
STATISTIC(NumSites, "Site descriptors emitted");

namespace racecheck {

InstrumentationOptions InstrumentationOptions::fromCommandLine() {
  InstrumentationOptions O;
  O.Memory = ClInstrumentMemory;
  O.Atomics = ClInstrumentAtomics;
  O.MemIntrinsics = ClInstrumentMemIntrinsics;
  O.CallSites = ClInstrumentCalls;
  O.FuncEntryExit = ClInstrumentFuncEntryExit;
  O.Globals = ClRegisterGlobals;
  O.HandleCxxExceptions = ClHandleCxxExceptions;
  O.ElideReadBeforeWrite = ClElideReadBeforeWrite;
  O.HoistLoopChecks = ClHoistLoopChecks;
  return O;
}

namespace {

constexpr StringLiteral RuntimePrefix = "__racecheck";
constexpr StringLiteral CallSiteVarName = "__racecheck_call_site";
constexpr StringLiteral ModuleCtorName = "__racecheck_module_ctor";
// Layout strings are for reports only; a huge array of structs must not
// bloat the binary.
constexpr size_t MaxLayoutBytes = 4096;
// Access sizes with a dedicated entry point: 1, 2, 4, 8, 16 bytes.
constexpr unsigned NumAccessSizes = 5;

/// Objects the compiler or another instrumentation owns: never user data.
bool isToolingGlobal(const GlobalValue &GV) {
  StringRef Name = GV.getName();
  return Name.starts_with("llvm.") || Name.starts_with(RuntimePrefix) ||
         Name.starts_with("__llvm_") || Name.starts_with("__profc_") ||
         Name.starts_with("__profd_") || Name.starts_with("__profn_") ||
         Name.starts_with("__profvp_");
}

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

/// The name a report shows for a subprogram: the linkage (mangled) name when
/// there is one, as struct __racecheck_site requires, else the source name.
StringRef subprogramName(const DISubprogram *SP) {
  StringRef Linkage = SP->getLinkageName();
  return Linkage.empty() ? SP->getName() : Linkage;
}

/// The path a site records: DIFile names are often relative to the
/// compilation directory (`clang -c src/a.c` records "src/a.c" and the
/// directory separately), so join them to get a path that still names the
/// file when the program runs, or is reported, elsewhere. "./" components are
/// dropped; ".." is kept, as resolving it lexically is wrong across symlinks.
std::string sourcePath(StringRef Directory, StringRef File) {
  if (File.empty() || Directory.empty() || sys::path::is_absolute(File))
    return File.str();
  SmallString<256> Path(Directory);
  sys::path::append(Path, File);
  sys::path::remove_dots(Path, /*remove_dot_dot=*/false);
  return std::string(Path);
}

template <typename DebugInfoNode>
std::string sourcePathOf(const DebugInfoNode *Node) {
  return sourcePath(Node->getDirectory(), Node->getFilename());
}

/// Interns constant strings and struct __racecheck_site descriptors.
/// Descriptors are deduplicated by content (file, function, line, column,
/// inlined-at descriptor), so each distinct source position, including its
/// inlining chain, has exactly one descriptor per module.
class SiteTable {
public:
  explicit SiteTable(Module &M)
      : M(M), PtrTy(PointerType::getUnqual(M.getContext())),
        Int32Ty(Type::getInt32Ty(M.getContext())),
        SiteTy(StructType::get(PtrTy, PtrTy, Int32Ty, Int32Ty, PtrTy)) {}

  /// The position of an instruction of F (Loc may be null).
  Constant *forLocation(const DILocation *Loc, const Function &F) {
    if (!Loc) {
      // Compiler-generated code without a location: attribute it to the
      // function, line 0 meaning "no line".
      if (const DISubprogram *SP = F.getSubprogram())
        return get(sourcePathOf(SP), subprogramName(SP), 0, 0, nullptr);
      return get(M.getSourceFileName(), F.getName(), 0, 0, nullptr);
    }
    auto Cached = LocationCache.find(Loc);
    if (Cached != LocationCache.end())
      return Cached->second;
    Constant *InlinedAt = nullptr;
    if (const DILocation *Outer = Loc->getInlinedAt())
      InlinedAt = forLocation(Outer, F);
    const DISubprogram *SP = Loc->getScope()->getSubprogram();
    StringRef Function = SP ? subprogramName(SP) : F.getName();
    Constant *Site = get(sourcePathOf(Loc), Function, Loc->getLine(),
                         Loc->getColumn(), InlinedAt);
    LocationCache[Loc] = Site;
    return Site;
  }

  /// The function's own position: its declaration line, column 0.
  Constant *forFunction(const Function &F) {
    if (const DISubprogram *SP = F.getSubprogram())
      return get(sourcePathOf(SP), subprogramName(SP), SP->getLine(), 0,
                 nullptr);
    return get(M.getSourceFileName(), F.getName(), 0, 0, nullptr);
  }

  Constant *get(StringRef File, StringRef Function, unsigned Line,
                unsigned Column, Constant *InlinedAt) {
    auto Key =
        std::make_tuple(File.str(), Function.str(), Line, Column, InlinedAt);
    auto Found = Sites.find(Key);
    if (Found != Sites.end())
      return Found->second;
    Constant *InlinedAtPtr =
        InlinedAt ? InlinedAt : ConstantPointerNull::get(PtrTy);
    Constant *Init = ConstantStruct::get(
        SiteTy,
        {string(File), string(Function), ConstantInt::get(Int32Ty, Line),
         ConstantInt::get(Int32Ty, Column), InlinedAtPtr});
    auto *Site = new GlobalVariable(M, SiteTy, /*isConstant=*/true,
                                    GlobalValue::PrivateLinkage, Init,
                                    "__racecheck_site");
    Site->setAlignment(Align(8));
    ++NumSites;
    Sites.emplace(std::move(Key), Site);
    return Site;
  }

  /// A NUL-terminated private string, one per distinct content.
  Constant *string(StringRef S) {
    auto Found = Strings.find(S);
    if (Found != Strings.end())
      return Found->second;
    Constant *Init = ConstantDataArray::getString(M.getContext(), S);
    auto *Str = new GlobalVariable(M, Init->getType(), /*isConstant=*/true,
                                   GlobalValue::PrivateLinkage, Init,
                                   "__racecheck_str");
    Str->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    Str->setAlignment(Align(1));
    Strings[S] = Str;
    return Str;
  }

private:
  Module &M;
  PointerType *PtrTy;
  IntegerType *Int32Ty;
  StructType *SiteTy;
  StringMap<Constant *> Strings;
  std::map<std::tuple<std::string, std::string, unsigned, unsigned, Constant *>,
           Constant *>
      Sites;
  DenseMap<const DILocation *, Constant *> LocationCache;
};

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

/// Instruments one module. Owns the runtime declarations and the site table.
class ModuleInstrumenter {
public:
  ModuleInstrumenter(Module &M, const InstrumentationOptions &Options,
                     FunctionAnalysisManager *FAM)
      : M(M), Ctx(M.getContext()), DL(M.getDataLayout()), Options(Options),
        FAM(FAM), Sites(M), PtrTy(PointerType::getUnqual(Ctx)),
        VoidTy(Type::getVoidTy(Ctx)), Int32Ty(Type::getInt32Ty(Ctx)),
        Int64Ty(Type::getInt64Ty(Ctx)),
        LongTy(DL.getIntPtrType(Ctx)) /* unsigned long */ {
    declareRuntime();
  }

  void run() {
    collectIFuncResolvers();
    SmallVector<Function *, 32> Functions;
    for (Function &F : M)
      if (shouldInstrumentFunction(F))
        Functions.push_back(&F);
    for (Function *F : Functions)
      instrumentFunction(*F);
    createModuleConstructor();
  }

private:
  // ---- runtime interface ----------------------------------------------

  FunctionCallee declare(StringRef Name, Type *Result,
                         ArrayRef<Type *> Params) {
    // nounwind: the runtime never throws, and EscapeEnumerator must not turn
    // our calls into invokes.
    AttributeList Attrs =
        AttributeList().addFnAttribute(Ctx, Attribute::NoUnwind);
    return M.getOrInsertFunction(Name, FunctionType::get(Result, Params, false),
                                 Attrs);
  }

  void declareRuntime() {
    static const unsigned Sizes[NumAccessSizes] = {1, 2, 4, 8, 16};
    for (unsigned I = 0; I < NumAccessSizes; ++I) {
      std::string N = std::to_string(Sizes[I]);
      ReadN[I] = declare("__racecheck_read" + N, VoidTy, {PtrTy, PtrTy});
      WriteN[I] = declare("__racecheck_write" + N, VoidTy, {PtrTy, PtrTy});
    }
    ReadRange =
        declare("__racecheck_read_range", VoidTy, {PtrTy, LongTy, PtrTy});
    WriteRange =
        declare("__racecheck_write_range", VoidTy, {PtrTy, LongTy, PtrTy});
    SmallVector<Type *, 9> BoxParams = {PtrTy, LongTy};
    BoxParams.append(2 * MaxBoxDimensions, LongTy);
    BoxParams.push_back(PtrTy);
    ReadBox = declare("__racecheck_read_box", VoidTy, BoxParams);
    WriteBox = declare("__racecheck_write_box", VoidTy, BoxParams);
    AtomicOp =
        declare("__racecheck_atomic_op", VoidTy,
                {PtrTy, Int32Ty, Int32Ty, Int32Ty, Int32Ty, Int64Ty, PtrTy});
    AtomicFence = declare("__racecheck_atomic_fence", VoidTy, {Int32Ty, PtrTy});
    FuncEntry = declare("__racecheck_func_entry", VoidTy, {PtrTy});
    FuncExit = declare("__racecheck_func_exit", VoidTy, {});
    Init = declare("__racecheck_init", VoidTy, {Int32Ty});
    RegisterGlobals =
        declare("__racecheck_register_globals", VoidTy, {PtrTy, LongTy});

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

  // ---- what to instrument ---------------------------------------------

  void collectIFuncResolvers() {
    // Resolvers run during relocation, before the runtime or even TLS is
    // usable.
    for (GlobalIFunc &IFunc : M.ifuncs())
      if (Function *Resolver = IFunc.getResolverFunction())
        IFuncResolvers.insert(Resolver);
  }

  bool shouldInstrumentFunction(const Function &F) const {
    if (F.isDeclaration() || F.hasAvailableExternallyLinkage())
      return false;
    if (F.getName().starts_with(RuntimePrefix))
      return false; // the runtime's own helpers and our module constructor
    if (F.hasFnAttribute(Attribute::Naked) ||
        F.hasFnAttribute(Attribute::DisableSanitizerInstrumentation))
      return false;
    return !IFuncResolvers.contains(&F);
  }

  /// Whether an access through Ptr may touch memory another thread sees.
  bool mayBeShared(const Value *Ptr) {
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

  static bool isRuntimeCallee(const CallBase &Call) {
    const Value *Callee = Call.getCalledOperand()->stripPointerCasts();
    if (auto *Alias = dyn_cast<GlobalAlias>(Callee))
      Callee = Alias->getAliaseeObject();
    auto *Fn = dyn_cast_or_null<Function>(Callee);
    return Fn &&
           (Fn->isIntrinsic() || Fn->getName().starts_with(RuntimePrefix));
  }

  // ---- per function -------------------------------------------------------

  void instrumentFunction(Function &F) {
    SmallVector<Instruction *, 64> PlainAccesses, MaskedAccesses, AtomicOps,
        MemIntrinsics, Calls;
    for (BasicBlock &BB : F) {
      for (Instruction &I : BB) {
        if (const Value *Ptr = getLoadStorePointerOperand(&I))
          if (const DILocation *Loc = knownLocation(I))
            AccessLocations.try_emplace(Ptr, Loc);
        if (auto *Load = dyn_cast<LoadInst>(&I)) {
          (Load->isAtomic() ? AtomicOps : PlainAccesses).push_back(&I);
        } else if (auto *Store = dyn_cast<StoreInst>(&I)) {
          (Store->isAtomic() ? AtomicOps : PlainAccesses).push_back(&I);
        } else if (isa<AtomicRMWInst>(I) || isa<AtomicCmpXchgInst>(I) ||
                   isa<FenceInst>(I)) {
          AtomicOps.push_back(&I);
        } else if (auto *Call = dyn_cast<CallBase>(&I)) {
          if (isa<MemSetInst>(I) || isa<MemTransferInst>(I))
            MemIntrinsics.push_back(&I);
          else if (isMaskedAccess(I))
            MaskedAccesses.push_back(&I);
          else if (!Call->isInlineAsm() && !isRuntimeCallee(*Call))
            Calls.push_back(&I);
        }
      }
    }

    if (Options.Memory) {
      // Decide what to check before inserting anything: the elision below
      // looks at the block as the program wrote it.
      SmallVector<Instruction *, 64> Checked;
      for (Instruction *I : PlainAccesses)
        if (needsCheck(*I))
          Checked.push_back(I);
      if (Options.ElideReadBeforeWrite)
        elideCoveredAccesses(Checked);
      // Before anything is inserted: the analysis looks for loops with no
      // call in them.
      if (Options.HoistLoopChecks)
        hoistLoopChecks(F, Checked);
      for (Instruction *I : Checked)
        instrumentPlainAccess(*I, F);
      for (Instruction *I : MaskedAccesses)
        instrumentMaskedAccess(cast<IntrinsicInst>(*I), F);
    }
    if (Options.Atomics)
      for (Instruction *I : AtomicOps)
        instrumentAtomic(*I, F);
    if (Options.MemIntrinsics)
      for (Instruction *I : MemIntrinsics)
        instrumentMemIntrinsic(cast<MemIntrinsic>(*I), F);
    if (Options.CallSites)
      for (Instruction *I : Calls)
        recordCallSite(cast<CallBase>(*I), F);
    if (Options.FuncEntryExit)
      instrumentEntryExit(F);
    ++NumInstrumentedFunctions;
    if (FAM)
      FAM->invalidate(F, PreservedAnalyses::none());
    AllocaEscapes.clear();
    AccessLocations.clear();
  }

  static const DILocation *knownLocation(const Instruction &I) {
    const DILocation *Loc = I.getDebugLoc().get();
    return Loc && Loc->getLine() != 0 ? Loc : nullptr;
  }

  /// Optimizations drop or zero the location of code they move: LICM hoists
  /// a load out of a loop and sinks the store after it, and both lose their
  /// line. For a report, the best stand-in is another access to the same
  /// address in the function, else the nearest located instruction in the
  /// block (what a line table would show for that code), else the first
  /// located instruction on the straight-line path that follows the block
  /// (a loop preheader holding only hoisted code falls through to the loop
  /// header), else the last one on the straight-line path before it, else
  /// line 0. The function's scope line is not used: it would print a precise
  /// but wrong line, where line 0 makes the report say "line unknown".
  const DILocation *locationFor(const Instruction &I) {
    if (const DILocation *Loc = knownLocation(I))
      return Loc;
    if (const Value *Ptr = getLoadStorePointerOperand(&I)) {
      auto Found = AccessLocations.find(Ptr);
      if (Found != AccessLocations.end())
        return Found->second;
    }
    for (const Instruction *Next = I.getNextNode(); Next;
         Next = Next->getNextNode())
      if (const DILocation *Loc = knownLocation(*Next))
        return Loc;
    for (const Instruction *Prev = I.getPrevNode(); Prev;
         Prev = Prev->getPrevNode())
      if (const DILocation *Loc = knownLocation(*Prev))
        return Loc;
    if (const DILocation *Loc = straightLineLocation(*I.getParent()))
      return Loc;
    return I.getDebugLoc().get();
  }

  /// The nearest located instruction on the unique-successor chain after BB,
  /// then on the unique-predecessor chain before it (a few blocks each way).
  static const DILocation *straightLineLocation(const BasicBlock &BB) {
    constexpr int MaxBlocks = 8;
    const BasicBlock *Block = BB.getUniqueSuccessor();
    for (int Step = 0; Block && Block != &BB && Step < MaxBlocks; ++Step) {
      for (const Instruction &Next : *Block)
        if (const DILocation *Loc = knownLocation(Next))
          return Loc;
      Block = Block->getUniqueSuccessor();
    }
    Block = BB.getUniquePredecessor();
    for (int Step = 0; Block && Block != &BB && Step < MaxBlocks; ++Step) {
      for (const Instruction &Prev : reverse(*Block))
        if (const DILocation *Loc = knownLocation(Prev))
          return Loc;
      Block = Block->getUniquePredecessor();
    }
    return nullptr;
  }

  Constant *siteOf(const Instruction &I, const Function &F) {
    return Sites.forLocation(locationFor(I), F);
  }

  /// Bytes a plain load or store touches; 0 for scalable or empty types.
  uint64_t plainAccessSize(const Instruction &I) const {
    Type *AccessTy = isa<StoreInst>(I)
                         ? cast<StoreInst>(I).getValueOperand()->getType()
                         : I.getType();
    TypeSize StoreSize = DL.getTypeStoreSize(AccessTy);
    return StoreSize.isScalable() ? 0 : StoreSize.getFixedValue();
  }

  /// Whether a plain load or store gets a check at all (before elision).
  bool needsCheck(const Instruction &I) {
    return plainAccessSize(I) != 0 &&
           mayBeShared(getLoadStorePointerOperand(&I));
  }

  /// Whether I ends the stretch of a block within which one access's check
  /// may stand in for another's: anything that can synchronize or switch
  /// threads. That is every call except intrinsics that touch no memory
  /// (fmuladd, smax, ...), debug info, lifetime markers and assume-like ones;
  /// memory intrinsics and masked accesses count, as their own checks are
  /// scheduling points the runtime may act on. Atomics and fences order
  /// memory between threads.
  static bool endsElisionWindow(const Instruction &I) {
    if (I.isAtomic() || isa<FenceInst>(I))
      return true;
    auto *Call = dyn_cast<CallBase>(&I);
    if (!Call)
      return false;
    if (auto *Intrinsic = dyn_cast<IntrinsicInst>(Call)) {
      if (isa<DbgInfoIntrinsic>(Intrinsic) ||
          Intrinsic->isLifetimeStartOrEnd() ||
          Intrinsic->isAssumeLikeIntrinsic())
        return false;
      return Intrinsic->mayReadOrWriteMemory() || isMaskedAccess(I) ||
             !Intrinsic->doesNotThrow();
    }
    return true;
  }

  /// The line a report on I would show: two accesses may share one check
  /// only if the report stays on the same source line (and inlined copy).
  bool sameReportedLine(const Instruction &A, const Instruction &B) {
    const DILocation *LA = locationFor(A), *LB = locationFor(B);
    if (LA == LB)
      return true;
    if (!LA || !LB)
      return false;
    return LA->getLine() == LB->getLine() &&
           LA->getInlinedAt() == LB->getInlinedAt() &&
           LA->getScope()->getSubprogram() == LB->getScope()->getSubprogram() &&
           LA->getFilename() == LB->getFilename();
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
  /// Volatile accesses are always checked.
  void elideCoveredAccesses(SmallVectorImpl<Instruction *> &Checked) {
    SmallPtrSet<const Instruction *, 16> Candidates(Checked.begin(),
                                                    Checked.end());
    SmallPtrSet<const Instruction *, 16> Elided;
    auto IsPlain = [](const Instruction &I) {
      if (auto *Load = dyn_cast<LoadInst>(&I))
        return Load->isSimple();
      if (auto *Store = dyn_cast<StoreInst>(&I))
        return Store->isSimple();
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
            sameReportedLine(I, *Found->second)) {
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
            sameReportedLine(I, *LastChecked)) {
          Elided.insert(&I);
          ++NumOmittedRepeatedAccess;
          continue;
        }
        LastChecked = &I;
      }
    }
    if (!Elided.empty())
      llvm::erase_if(Checked,
                     [&](Instruction *I) { return Elided.contains(I); });
  }

  void instrumentPlainAccess(Instruction &I, const Function &F) {
    bool IsWrite = isa<StoreInst>(I);
    Value *Ptr = getLoadStorePointerOperand(&I);
    uint64_t Size = plainAccessSize(I);
    IRBuilder<> IRB(&I);
    Constant *Site = siteOf(I, F);
    int Index = sizedCalleeIndex(Size);
    if (Index >= 0) {
      IRB.CreateCall(IsWrite ? WriteN[Index] : ReadN[Index], {Ptr, Site});
    } else {
      IRB.CreateCall(IsWrite ? WriteRange : ReadRange,
                     {Ptr, ConstantInt::get(LongTy, Size), Site});
      ++NumInstrumentedRanges;
    }
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
  void hoistLoopChecks(Function &F, SmallVectorImpl<Instruction *> &Checked) {
    if (!FAM || F.hasOptNone())
      return;
    auto &LI = FAM->getResult<LoopAnalysis>(F);
    if (LI.empty())
      return;
    auto &DT = FAM->getResult<DominatorTreeAnalysis>(F);
    // After the optimizer a loop often has no preheader of its own (its
    // guard branches straight into the header); give the ones a box check
    // could go before one, then recompute scalar evolution for the new CFG.
    bool AddedPreheader = false;
    for (Loop *L : LI.getLoopsInPreorder())
      if (!L->getLoopPreheader() && none_of(L->blocks(), [](BasicBlock *BB) {
            return any_of(*BB,
                          [](Instruction &I) { return endsElisionWindow(I); });
          }))
        AddedPreheader |=
            InsertPreheaderForLoop(L, &DT, &LI, nullptr,
                                   /*PreserveLCSSA=*/false) != nullptr;
    if (AddedPreheader) {
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
      if (!Simple)
        continue; // volatile: checked where it happens
      if (std::optional<LoopBoxCheck> Box = Hoisting.plan(*I)) {
        Box->Site = siteOf(*I, F);
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
                                      ConstantInt::get(LongTy, Box.Size)};
      Args.append(Operands.begin() + 1, Operands.end());
      Args.push_back(Box.Site);
      IRB.CreateCall(Box.IsWrite ? WriteBox : ReadBox, Args);
      ++NumBoxChecks;
    }
    llvm::erase_if(Checked,
                   [&](Instruction *I) { return Hoisted.contains(I); });
  }

  static bool isMaskedAccess(const Instruction &I) {
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

  /// The vectorizers' masked loads/stores and gathers/scatters touch only
  /// the lanes whose mask bit is set; masked-off lanes may lie past the end
  /// of an object. So each lane is reported on its own, under its mask bit
  /// (as AddressSanitizer does), and lanes with a constant false bit not at
  /// all.
  void instrumentMaskedAccess(IntrinsicInst &Intrinsic, const Function &F) {
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

    Constant *Site = siteOf(Intrinsic, F);
    int Index = sizedCalleeIndex(ElementSize);
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
      if (Index >= 0)
        IRB.CreateCall(IsWrite ? WriteN[Index] : ReadN[Index],
                       {LaneAddr, Site});
      else
        IRB.CreateCall(IsWrite ? WriteRange : ReadRange,
                       {LaneAddr, ConstantInt::get(LongTy, ElementSize), Site});
      ++NumInstrumentedMaskedLanes;
    }
  }

  void instrumentAtomic(Instruction &I, const Function &F) {
    IRBuilder<> IRB(&I);
    if (auto *Fence = dyn_cast<FenceInst>(&I)) {
      // A signal fence orders nothing between threads.
      if (Fence->getSyncScopeID() == SyncScope::SingleThread)
        return;
      IRB.CreateCall(
          AtomicFence,
          {ConstantInt::get(Int32Ty, toC11Order(Fence->getOrdering())),
           siteOf(I, F)});
      ++NumInstrumentedFences;
      return;
    }

    Value *Addr = nullptr;
    Type *ValueTy = nullptr;
    unsigned Kind = 0;
    AtomicOrdering Order, FailureOrder;
    Value *Expected = nullptr;
    if (auto *Load = dyn_cast<LoadInst>(&I)) {
      Addr = Load->getPointerOperand();
      ValueTy = Load->getType();
      Kind = __racecheck_atomic_load;
      Order = FailureOrder = Load->getOrdering();
    } else if (auto *Store = dyn_cast<StoreInst>(&I)) {
      Addr = Store->getPointerOperand();
      ValueTy = Store->getValueOperand()->getType();
      Kind = __racecheck_atomic_store;
      Order = FailureOrder = Store->getOrdering();
    } else if (auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
      Addr = RMW->getPointerOperand();
      ValueTy = RMW->getValOperand()->getType();
      Kind = __racecheck_atomic_rmw;
      Order = FailureOrder = RMW->getOrdering();
    } else {
      auto *CmpXchg = cast<AtomicCmpXchgInst>(&I);
      Addr = CmpXchg->getPointerOperand();
      ValueTy = CmpXchg->getCompareOperand()->getType();
      Kind = __racecheck_atomic_cmpxchg;
      Order = CmpXchg->getSuccessOrdering();
      FailureOrder = CmpXchg->getFailureOrdering();
      Expected = CmpXchg->getCompareOperand();
    }
    if (Addr->getType()->getPointerAddressSpace() != 0)
      return;
    TypeSize StoreSize = DL.getTypeStoreSize(ValueTy);
    if (StoreSize.isScalable())
      return;
    uint64_t Size = StoreSize.getFixedValue();

    Value *ExpectedArg = ConstantInt::get(Int64Ty, 0);
    if (Expected && Size <= 8) {
      if (Expected->getType()->isPointerTy())
        ExpectedArg = IRB.CreatePtrToInt(Expected, Int64Ty);
      else if (Expected->getType()->isIntegerTy())
        ExpectedArg = IRB.CreateZExtOrTrunc(Expected, Int64Ty);
    }
    IRB.CreateCall(AtomicOp,
                   {Addr, ConstantInt::get(Int32Ty, Size),
                    ConstantInt::get(Int32Ty, Kind),
                    ConstantInt::get(Int32Ty, toC11Order(Order)),
                    ConstantInt::get(Int32Ty, toC11Order(FailureOrder)),
                    ExpectedArg, siteOf(I, F)});
    ++NumInstrumentedAtomics;
  }

  void instrumentMemIntrinsic(MemIntrinsic &MI, const Function &F) {
    IRBuilder<> IRB(&MI);
    Constant *Site = siteOf(MI, F);
    Value *Length = IRB.CreateZExtOrTrunc(MI.getLength(), LongTy);
    if (auto *Transfer = dyn_cast<MemTransferInst>(&MI))
      if (mayBeShared(Transfer->getRawSource()))
        IRB.CreateCall(ReadRange, {Transfer->getRawSource(), Length, Site});
    if (mayBeShared(MI.getRawDest()))
      IRB.CreateCall(WriteRange, {MI.getRawDest(), Length, Site});
    ++NumInstrumentedMemIntrinsics;
  }

  void recordCallSite(CallBase &Call, const Function &F) {
    IRBuilder<> IRB(&Call);
    IRB.CreateStore(siteOf(Call, F), CallSiteVar);
    ++NumCallSiteStores;
  }

  void instrumentEntryExit(Function &F) {
    // Our calls have no source position of their own; a line-0 location in
    // the function keeps the debug info valid.
    DebugLoc Artificial;
    if (DISubprogram *SP = F.getSubprogram())
      Artificial = DILocation::get(Ctx, 0, 0, SP);

    IRBuilder<> Entry(&*F.getEntryBlock().getFirstInsertionPt());
    Entry.SetCurrentDebugLocation(Artificial);
    Entry.CreateCall(FuncEntry, {Sites.forFunction(F)});

    // Every return and resume; with HandleCxxExceptions also calls that may
    // throw get a cleanup landing pad (as in ThreadSanitizer.cpp).
    EscapeEnumerator Exits(F, "racecheck_cleanup", Options.HandleCxxExceptions);
    while (IRBuilder<> *AtExit = Exits.Next()) {
      if (!AtExit->getCurrentDebugLocation())
        AtExit->SetCurrentDebugLocation(Artificial);
      AtExit->CreateCall(FuncExit, {});
    }
  }

  // ---- globals table and module constructor -------------------------------

  bool shouldRegisterGlobal(const GlobalVariable &GV) const {
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

  Constant *globalEntry(GlobalVariable &GV, StructType *EntryTy) {
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
    return ConstantStruct::get(EntryTy, {&GV, ConstantInt::get(LongTy, Size),
                                         Sites.string(Name),
                                         Sites.string(Layout), Site});
  }

  void createModuleConstructor() {
    SmallVector<Constant *, 16> Entries;
    StructType *EntryTy = StructType::get(PtrTy, LongTy, PtrTy, PtrTy, PtrTy);
    if (Options.Globals) {
      SmallVector<GlobalVariable *, 16> Globals;
      for (GlobalVariable &GV : M.globals())
        if (shouldRegisterGlobal(GV))
          Globals.push_back(&GV);
      for (GlobalVariable *GV : Globals)
        Entries.push_back(globalEntry(*GV, EntryTy));
    }

    Function *Ctor = createSanitizerCtor(M, ModuleCtorName);
    IRBuilder<> IRB(Ctor->getEntryBlock().getTerminator());
    IRB.CreateCall(Init, {ConstantInt::get(Int32Ty, RACECHECK_ABI_VERSION)});
    if (!Entries.empty()) {
      ArrayType *TableTy = ArrayType::get(EntryTy, Entries.size());
      auto *Table = new GlobalVariable(
          M, TableTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
          ConstantArray::get(TableTy, Entries), "__racecheck_globals");
      Table->setAlignment(Align(8));
      IRB.CreateCall(RegisterGlobals,
                     {Table, ConstantInt::get(LongTy, Entries.size())});
      NumRegisteredGlobals += Entries.size();
    }
    // Priority 0: before any user constructor of any module, so the runtime
    // knows every global before user code can touch one.
    appendToGlobalCtors(M, Ctor, 0);
  }

  Module &M;
  LLVMContext &Ctx;
  const DataLayout &DL;
  const InstrumentationOptions &Options;
  FunctionAnalysisManager *FAM; // null: no loop analyses, no box checks
  SiteTable Sites;
  PointerType *PtrTy;
  Type *VoidTy;
  IntegerType *Int32Ty, *Int64Ty, *LongTy;

  FunctionCallee ReadN[NumAccessSizes], WriteN[NumAccessSizes];
  FunctionCallee ReadRange, WriteRange, ReadBox, WriteBox, AtomicOp,
      AtomicFence, FuncEntry, FuncExit, Init, RegisterGlobals;
  GlobalVariable *CallSiteVar = nullptr;

  SmallPtrSet<const Function *, 4> IFuncResolvers;
  // Per function: whether each alloca escapes, and the first located plain
  // or atomic access through each pointer value.
  DenseMap<const AllocaInst *, bool> AllocaEscapes;
  DenseMap<const Value *, const DILocation *> AccessLocations;
};

} // namespace

PreservedAnalyses RacecheckPass::run(Module &M, ModuleAnalysisManager &MAM) {
  if (M.getModuleFlag(InstrumentedModuleFlag))
    return PreservedAnalyses::all();
  M.addModuleFlag(Module::Max, InstrumentedModuleFlag, 1);
  FunctionAnalysisManager &FAM =
      MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
  ModuleInstrumenter(M, Options, &FAM).run();
  return PreservedAnalyses::none();
}

} // namespace racecheck
