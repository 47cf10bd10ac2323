//===- AbiLayout.h - the descriptor structs the pass emits ------*- C++ -*-===//
//
// The pass emits two kinds of constant the runtime reads: struct
// __racecheck_site (a source position) and struct __racecheck_global (one
// global variable), both declared in runtime/include/racecheck/interface.h.
// Their layout is written down here once, as field lists: RuntimeInterface
// builds the IR struct types from these lists, and the pass fills the fields
// by the indices below. test/abi_layout_test.cpp checks every offset and size
// against interface.h with static_assert, so a change on either side alone
// breaks that test's build (and the IR types against the C compiler's layout
// when it runs).
//
// Plain C++ without LLVM, so that the test can compile it with the C header
// alone.
//
//===----------------------------------------------------------------------===//
#ifndef RACECHECK_INSTRUMENT_ABILAYOUT_H
#define RACECHECK_INSTRUMENT_ABILAYOUT_H

#include <cstddef>

namespace racecheck::abi {

/// The C types the descriptors are made of.
enum class FieldType { Pointer, UnsignedInt, UnsignedLong };

struct Field {
  const char *Name; // as in interface.h
  FieldType Type;
};

/// Bytes, and alignment, of a field type on the LP64 targets racecheck runs
/// on (x86-64 and AArch64 Linux): pointers and unsigned long are 8 bytes,
/// unsigned int 4.
constexpr std::size_t sizeOf(FieldType Type) {
  return Type == FieldType::UnsignedInt ? 4 : 8;
}

/// struct __racecheck_site, in order.
enum SiteField : unsigned {
  SiteFile,
  SiteFunction,
  SiteLine,
  SiteColumn,
  SiteInlinedAt,
  NumSiteFields
};
inline constexpr Field SiteFields[NumSiteFields] = {
    {"file", FieldType::Pointer},       {"function", FieldType::Pointer},
    {"line", FieldType::UnsignedInt},   {"column", FieldType::UnsignedInt},
    {"inlined_at", FieldType::Pointer},
};

/// struct __racecheck_global, in order.
enum GlobalField : unsigned {
  GlobalAddress,
  GlobalSize,
  GlobalName,
  GlobalLayout,
  GlobalSite,
  NumGlobalFields
};
inline constexpr Field GlobalFields[NumGlobalFields] = {
    {"address", FieldType::Pointer}, {"size", FieldType::UnsignedLong},
    {"name", FieldType::Pointer},    {"layout", FieldType::Pointer},
    {"site", FieldType::Pointer},
};

/// Where field Index of a struct made of Fields starts, as C lays it out:
/// each field at the next multiple of its alignment.
template <std::size_t N>
constexpr std::size_t offsetOf(const Field (&Fields)[N], std::size_t Index) {
  std::size_t Offset = 0;
  for (std::size_t I = 0;; ++I) {
    std::size_t Align = sizeOf(Fields[I].Type);
    Offset = (Offset + Align - 1) / Align * Align;
    if (I == Index)
      return Offset;
    Offset += sizeOf(Fields[I].Type);
  }
}

/// sizeof of a struct made of Fields: its end rounded up to the largest
/// field alignment.
template <std::size_t N>
constexpr std::size_t sizeOfStruct(const Field (&Fields)[N]) {
  std::size_t Align = 1;
  for (const Field &F : Fields)
    Align = sizeOf(F.Type) > Align ? sizeOf(F.Type) : Align;
  std::size_t End = offsetOf(Fields, N - 1) + sizeOf(Fields[N - 1].Type);
  return (End + Align - 1) / Align * Align;
}

} // namespace racecheck::abi

#endif // RACECHECK_INSTRUMENT_ABILAYOUT_H
