/* binary_identity.c — what ties a schedule file to one executable. A schedule
 * is only meaningful for the exact binary that produced it (sites, thread
 * creation order and the sequence of scheduling points all come from its
 * code), so replay compares this identity first.
 *
 * Preferred: the ELF build-id note (NT_GNU_BUILD_ID), which the linker
 * derives from the output's contents and which costs nothing to read. Without
 * one, a 64-bit FNV-1a hash of /proc/self/exe's bytes (read with raw
 * syscalls; the runtime never calls intercepted I/O). */
#include "record/schedule.h"
#include "racecheck/text_encoding.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/syscall.h>

static char identity[96];

/* dl_iterate_phdr visits the executable first (empty dlpi_name). */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  (void)data;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_NOTE)
      continue;
    const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
    const char *end = p + ph->p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const ElfW(Nhdr) *note = (const ElfW(Nhdr) *)p;
      const char *name = p + sizeof *note;
      const unsigned char *desc =
          (const unsigned char *)(name + ((note->n_namesz + 3) & ~3u));
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 &&
          memcmp(name, "GNU", 4) == 0 && note->n_descsz > 0 &&
          note->n_descsz <= 40) {
        size_t len = strlen(RC_BINARY_IDENTITY_BUILD_ID);
        memcpy(identity, RC_BINARY_IDENTITY_BUILD_ID, len);
        for (uint32_t k = 0; k < note->n_descsz; k++) {
          identity[len++] = rc_hex_digit(desc[k] >> 4);
          identity[len++] = rc_hex_digit(desc[k]);
        }
        identity[len] = 0;
        return 1;
      }
      p = (const char *)desc + ((note->n_descsz + 3) & ~3u);
    }
  }
  return 1; /* only the executable matters */
}

static void hash_executable(void) {
  uint64_t hash = RC_FNV1A64_OFFSET_BASIS;
  long fd = rc_raw_syscall(SYS_openat, AT_FDCWD, (long)"/proc/self/exe",
                           O_RDONLY | O_CLOEXEC, 0, 0, 0);
  if (fd < 0) {
    strcpy(identity, "unknown");
    return;
  }
  static unsigned char buf[1 << 16];
  for (;;) {
    long n = rc_raw_syscall(SYS_read, fd, (long)buf, sizeof buf, 0, 0, 0);
    if (n == -4 /* EINTR */)
      continue;
    if (n <= 0)
      break;
    hash = rc_fnv1a64(hash, buf, (size_t)n);
  }
  rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
  size_t len = strlen(RC_BINARY_IDENTITY_FNV1A64);
  memcpy(identity, RC_BINARY_IDENTITY_FNV1A64, len);
  for (int shift = 60; shift >= 0; shift -= 4)
    identity[len++] = rc_hex_digit((unsigned)(hash >> shift));
  identity[len] = 0;
}

const char *rc_binary_identity(void) {
  if (identity[0])
    return identity;
  dl_iterate_phdr(find_build_id, 0);
  if (!identity[0])
    hash_executable();
  return identity;
}
