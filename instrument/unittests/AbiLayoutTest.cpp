//===- AbiLayoutTest.cpp - the pass's descriptors against interface.h -----===//
//
// The pass emits struct __racecheck_site and struct __racecheck_global as IR
// constants whose types it builds from the field lists of AbiLayout.h; the
// runtime reads them as the C structs of runtime/include/racecheck/
// interface.h. Nothing else ties the two together, so this test does:
//   - at compile time, each field of AbiLayout.h must have the name, offset,
//     size and pointer-ness of the C member at the same index, and each
//     struct the C size: a change to either side alone fails this file's
//     build (static_assert);
//   - at run time, the IR struct types the pass builds (abiStructType) must
//     be laid out by the host target's data layout exactly as the C compiler
//     lays out the structs.
//
//===----------------------------------------------------------------------===//
#include "AbiLayout.h"
#include "RuntimeInterface.h"

#include "racecheck/interface.h"

#include "llvm/IR/DataLayout.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace racecheck::abi {
namespace {

constexpr bool sameName(const char *A, const char *B) {
  while (*A && *A == *B)
    ++A, ++B;
  return *A == *B;
}

// Field INDEX of FIELDS describes member MEMBER of the C struct STRUCT.
#define CHECK_FIELD(STRUCT, FIELDS, INDEX, MEMBER)                             \
  static_assert(sameName(FIELDS[INDEX].Name, #MEMBER),                         \
                #STRUCT ": AbiLayout.h names field " #INDEX                    \
                        " differently from interface.h");                      \
  static_assert(offsetOf(FIELDS, INDEX) == offsetof(STRUCT, MEMBER),           \
                #STRUCT "::" #MEMBER ": offset differs from interface.h");     \
  static_assert(sizeOf(FIELDS[INDEX].Type) == sizeof(STRUCT::MEMBER),          \
                #STRUCT "::" #MEMBER ": size differs from interface.h");       \
  static_assert((FIELDS[INDEX].Type == FieldType::Pointer) ==                  \
                    std::is_pointer_v<decltype(STRUCT::MEMBER)>,               \
                #STRUCT "::" #MEMBER ": pointer in one, integer in the other")

CHECK_FIELD(__racecheck_site, SiteFields, SiteFile, file);
CHECK_FIELD(__racecheck_site, SiteFields, SiteFunction, function);
CHECK_FIELD(__racecheck_site, SiteFields, SiteLine, line);
CHECK_FIELD(__racecheck_site, SiteFields, SiteColumn, column);
CHECK_FIELD(__racecheck_site, SiteFields, SiteInlinedAt, inlined_at);
static_assert(sizeOfStruct(SiteFields) == sizeof(__racecheck_site),
              "__racecheck_site: size differs from interface.h (a field "
              "added or removed on one side?)");

CHECK_FIELD(__racecheck_global, GlobalFields, GlobalAddress, address);
CHECK_FIELD(__racecheck_global, GlobalFields, GlobalSize, size);
CHECK_FIELD(__racecheck_global, GlobalFields, GlobalName, name);
CHECK_FIELD(__racecheck_global, GlobalFields, GlobalLayout, layout);
CHECK_FIELD(__racecheck_global, GlobalFields, GlobalSite, site);
static_assert(sizeOfStruct(GlobalFields) == sizeof(__racecheck_global),
              "__racecheck_global: size differs from interface.h (a field "
              "added or removed on one side?)");

#undef CHECK_FIELD

/// Where a member of a C struct lies.
struct CMember {
  std::size_t Offset, Size;
};
#define C_MEMBER(STRUCT, MEMBER)                                               \
  CMember { offsetof(STRUCT, MEMBER), sizeof(STRUCT::MEMBER) }

/// The IR type the pass builds for Fields, laid out by the data layout
/// clang uses for this host: its size, and each field's offset and size.
template <std::size_t N>
void expectIRLayout(const Field (&Fields)[N], std::size_t CSize,
                    const CMember (&CMembers)[N]) {
  llvm::InitializeNativeTarget();
  std::string Triple = llvm::sys::getProcessTriple(), Error;
  const llvm::Target *Target =
      llvm::TargetRegistry::lookupTarget(Triple, Error);
  ASSERT_NE(Target, nullptr) << "no target for " << Triple << ": " << Error;
  std::unique_ptr<llvm::TargetMachine> Machine(Target->createTargetMachine(
      Triple, "generic", "", llvm::TargetOptions(), std::nullopt));
  llvm::DataLayout DL = Machine->createDataLayout();

  llvm::LLVMContext Ctx;
  llvm::StructType *Type = abiStructType(Ctx, DL, Fields);
  ASSERT_EQ(Type->getNumElements(), N);
  const llvm::StructLayout *Layout = DL.getStructLayout(Type);
  EXPECT_EQ(Layout->getSizeInBytes(), CSize);
  for (std::size_t I = 0; I < N; ++I) {
    EXPECT_EQ(Layout->getElementOffset(I), CMembers[I].Offset)
        << "offset of field " << Fields[I].Name;
    EXPECT_EQ(DL.getTypeStoreSize(Type->getElementType(I)), CMembers[I].Size)
        << "size of field " << Fields[I].Name;
  }
}

TEST(AbiLayout, SiteTypeIsLaidOutAsTheCStruct) {
  expectIRLayout(
      SiteFields, sizeof(__racecheck_site),
      {C_MEMBER(__racecheck_site, file), C_MEMBER(__racecheck_site, function),
       C_MEMBER(__racecheck_site, line), C_MEMBER(__racecheck_site, column),
       C_MEMBER(__racecheck_site, inlined_at)});
}

TEST(AbiLayout, GlobalTypeIsLaidOutAsTheCStruct) {
  expectIRLayout(GlobalFields, sizeof(__racecheck_global),
                 {C_MEMBER(__racecheck_global, address),
                  C_MEMBER(__racecheck_global, size),
                  C_MEMBER(__racecheck_global, name),
                  C_MEMBER(__racecheck_global, layout),
                  C_MEMBER(__racecheck_global, site)});
}

#undef C_MEMBER

} // namespace
} // namespace racecheck::abi
