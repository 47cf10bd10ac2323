// executable_identity.cpp — see executable_identity.h. Only the headers and
// the notes are read, each bounds-checked against the file's size; nothing
// of the file is executed or mapped.
#include "executable_identity.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "racecheck/schedule_format.h"
#include "racecheck/text_encoding.h"

namespace racecheck {
namespace {

// The runtime accepts build ids of 1..40 bytes; so does this reader.
constexpr uint32_t kMaxBuildIdBytes = 40;
// A PT_NOTE segment larger than this is not read (real ones are < 1 KiB).
constexpr uint64_t kMaxNoteSegment = uint64_t{1} << 20;
// Nor a dynamic symbol or string table larger than this (a big C++
// program's are a few MiB).
constexpr uint64_t kMaxDynamicTable = uint64_t{256} << 20;
// What every executable linked with the runtime exports (racecheck_rt.syms).
constexpr char kRuntimeSymbol[] = "__racecheck_init";

class File {
 public:
  explicit File(int fd) : fd_(fd) {}
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File &) = delete;
  File &operator=(const File &) = delete;
  int fd() const { return fd_; }

  // Exactly n bytes at offset, or false.
  bool read_at(uint64_t offset, void *out, size_t n) const {
    auto *p = static_cast<char *>(out);
    while (n > 0) {
      ssize_t got = ::pread(fd_, p, n, static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      p += got;
      n -= static_cast<size_t>(got);
      offset += static_cast<uint64_t>(got);
    }
    return true;
  }

 private:
  int fd_;
};

// The build id in one note segment, "" when it has none.
std::string build_id_in_notes(const std::vector<unsigned char> &notes) {
  size_t at = 0;
  auto align4 = [](uint64_t n) { return (n + 3) & ~uint64_t{3}; };
  while (at + sizeof(ElfW(Nhdr)) <= notes.size()) {
    ElfW(Nhdr) note;
    std::memcpy(&note, notes.data() + at, sizeof note);
    uint64_t name_at = at + sizeof note;
    uint64_t desc_at = name_at + align4(note.n_namesz);
    uint64_t next = desc_at + align4(note.n_descsz);
    if (desc_at + note.n_descsz > notes.size()) return "";
    if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
        std::memcmp(notes.data() + name_at, "GNU", 4) == 0 && note.n_descsz > 0 &&
        note.n_descsz <= kMaxBuildIdBytes) {
      std::string id = RC_BINARY_IDENTITY_BUILD_ID;
      for (uint32_t k = 0; k < note.n_descsz; ++k) {
        char hex[2];
        rc_hex_pair(notes[desc_at + k], hex);
        id.append(hex, 2);
      }
      return id;
    }
    at = static_cast<size_t>(next);
  }
  return "";
}

// The build id of the program headers' note segments, "" when none has
// one; nullopt with error set when the headers are not those of a valid ELF
// file of this machine's class and byte order.
bool valid_elf_header(const File &file, uint64_t size, ElfW(Ehdr) & eh, std::string &error) {
  if (size < sizeof eh || !file.read_at(0, &eh, sizeof eh) ||
      std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
    error = "is not an ELF executable";
    return false;
  }
  if (eh.e_ident[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32) ||
      eh.e_ident[EI_DATA] !=
          (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB) ||
      (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)) {
    error = "is not an ELF executable for this machine";
    return false;
  }
  return true;
}

std::optional<std::string> build_id(const File &file, uint64_t size, const ElfW(Ehdr) & eh,
                                    std::string &error) {
  if (eh.e_phentsize != sizeof(ElfW(Phdr)) || eh.e_phnum == 0 || eh.e_phnum == PN_XNUM ||
      eh.e_phoff > size || uint64_t{eh.e_phnum} * sizeof(ElfW(Phdr)) > size - eh.e_phoff) {
    error = "has malformed ELF program headers";
    return std::nullopt;
  }
  std::vector<ElfW(Phdr)> headers(eh.e_phnum);
  if (!file.read_at(eh.e_phoff, headers.data(), headers.size() * sizeof(ElfW(Phdr)))) {
    error = "cannot be read";
    return std::nullopt;
  }
  for (const ElfW(Phdr) & ph : headers) {
    if (ph.p_type != PT_NOTE || ph.p_filesz == 0) continue;
    if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset || ph.p_filesz > kMaxNoteSegment) {
      error = "has a malformed ELF note segment";
      return std::nullopt;
    }
    std::vector<unsigned char> notes(ph.p_filesz);
    if (!file.read_at(ph.p_offset, notes.data(), notes.size())) {
      error = "cannot be read";
      return std::nullopt;
    }
    std::string id = build_id_in_notes(notes);
    if (!id.empty()) return id;
  }
  return std::string();
}

// The bytes of a section, bounded; false when it lies outside the file.
bool read_section(const File &file, uint64_t size, const ElfW(Shdr) & section,
                  std::vector<char> &out) {
  if (section.sh_offset > size || section.sh_size > size - section.sh_offset ||
      section.sh_size > kMaxDynamicTable)
    return false;
  out.resize(section.sh_size);
  return file.read_at(section.sh_offset, out.data(), out.size());
}

// Whether the dynamic symbol table defines the runtime's entry point.
bool defines_runtime_symbol(const File &file, uint64_t size, const ElfW(Ehdr) & eh) {
  if (eh.e_shentsize != sizeof(ElfW(Shdr)) || eh.e_shnum == 0 || eh.e_shoff > size ||
      uint64_t{eh.e_shnum} * sizeof(ElfW(Shdr)) > size - eh.e_shoff)
    return false;
  std::vector<ElfW(Shdr)> sections(eh.e_shnum);
  if (!file.read_at(eh.e_shoff, sections.data(), sections.size() * sizeof(ElfW(Shdr))))
    return false;
  for (const ElfW(Shdr) & dynsym : sections) {
    if (dynsym.sh_type != SHT_DYNSYM || dynsym.sh_link >= sections.size()) continue;
    std::vector<char> symbols, names;
    if (!read_section(file, size, dynsym, symbols) ||
        !read_section(file, size, sections[dynsym.sh_link], names))
      return false;
    for (size_t at = 0; at + sizeof(ElfW(Sym)) <= symbols.size(); at += sizeof(ElfW(Sym))) {
      ElfW(Sym) sym;
      std::memcpy(&sym, symbols.data() + at, sizeof sym);
      if (sym.st_shndx == SHN_UNDEF || sym.st_name >= names.size()) continue;
      size_t room = names.size() - sym.st_name;
      if (::strnlen(names.data() + sym.st_name, room) == sizeof kRuntimeSymbol - 1 &&
          std::memcmp(names.data() + sym.st_name, kRuntimeSymbol, sizeof kRuntimeSymbol) == 0)
        return true;
    }
  }
  return false;
}

// FNV-1a of the file's bytes, as the runtime hashes /proc/self/exe.
std::optional<std::string> content_hash(const File &file, uint64_t size, std::string &error) {
  uint64_t hash = RC_FNV1A64_OFFSET_BASIS;
  std::vector<unsigned char> chunk(1 << 16);
  for (uint64_t at = 0; at < size;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(chunk.size(), size - at));
    if (!file.read_at(at, chunk.data(), n)) {
      error = "cannot be read";
      return std::nullopt;
    }
    hash = rc_fnv1a64(hash, chunk.data(), n);
    at += n;
  }
  std::string id = RC_BINARY_IDENTITY_FNV1A64;
  for (int shift = 60; shift >= 0; shift -= 4) id += rc_hex_digit(unsigned(hash >> shift));
  return id;
}

}  // namespace

std::optional<ExecutableFacts> inspect_executable(const std::string &path, std::string &error) {
  File file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (file.fd() < 0) {
    error = std::string("cannot be opened: ") + std::strerror(errno);
    return std::nullopt;
  }
  struct stat st;
  if (::fstat(file.fd(), &st) != 0 || !S_ISREG(st.st_mode)) {
    error = "is not a regular file";
    return std::nullopt;
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  ElfW(Ehdr) eh;
  if (!valid_elf_header(file, size, eh, error)) return std::nullopt;
  std::optional<std::string> id = build_id(file, size, eh, error);
  if (id && id->empty()) id = content_hash(file, size, error);
  if (!id) return std::nullopt;
  return ExecutableFacts{*id, defines_runtime_symbol(file, size, eh)};
}

}  // namespace racecheck
