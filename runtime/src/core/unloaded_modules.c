/* unloaded_modules.c — the read-only data of instrumented libraries outlives
 * their dlclose.
 *
 * Site descriptors, global tables and the file, function and variable names
 * they point to live in an instrumented module's read-only data; findings,
 * histories and stacks keep pointers to them until the record is written at
 * exit. When dlclose unloads an instrumented module, its read-only pages
 * (the non-writable segments and the RELRO part of the writable one) are
 * copied just before and moved back to the same addresses just after, so
 * every such pointer stays valid and the reader sees the same bytes. The
 * copies are mapped read-only and never executable; the module's writable
 * data stays unmapped, so a program that calls into or writes through a
 * dangling pointer still faults as it would natively. Only a module gone
 * after the real dlclose is kept (one still referenced is left alone), and
 * only instrumented ones: each module's constructor calls __racecheck_init,
 * whose return address names the module. */
#include "core/runtime.h"

#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Code addresses of instrumented constructors (one per translation unit);
 * a loaded module containing one is instrumented. */
static uintptr_t *g_ctor_pcs;
static size_t g_ctor_count, g_ctor_cap;

void rc_note_instrumented_module(const void *constructor_pc) {
  uintptr_t pc = (uintptr_t)constructor_pc;
  if (g_ctor_count && g_ctor_pcs[g_ctor_count - 1] == pc)
    return;
  if (g_ctor_count == g_ctor_cap) {
    size_t cap = g_ctor_cap ? 2 * g_ctor_cap : 64;
    g_ctor_pcs = rc_realloc(g_ctor_pcs, g_ctor_cap * sizeof *g_ctor_pcs,
                            cap * sizeof *g_ctor_pcs);
    g_ctor_cap = cap;
  }
  g_ctor_pcs[g_ctor_count++] = pc;
}

#define RC_KEPT_RANGES 16

typedef struct rc_kept_range {
  uintptr_t start, end; /* page-aligned, in the module */
  void *copy;           /* a private anonymous copy of the same length */
} rc_kept_range;

typedef struct rc_kept_module {
  uintptr_t base;
  bool loaded; /* still loaded after the real dlclose */
  uint32_t n_ranges;
  rc_kept_range ranges[RC_KEPT_RANGES];
} rc_kept_module;

struct rc_module_copies {
  rc_kept_module *modules;
  uint32_t count, cap;
};

static uintptr_t page_size(void) { return 4096; }
static uintptr_t align_down(uintptr_t x) { return x & ~(page_size() - 1); }
static uintptr_t align_up(uintptr_t x) {
  return (x + page_size() - 1) & ~(page_size() - 1);
}

static bool contains_ctor(const struct dl_phdr_info *info) {
  for (size_t c = 0; c < g_ctor_count; c++)
    for (int i = 0; i < info->dlpi_phnum; i++) {
      const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
      uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
      if (ph->p_type == PT_LOAD && g_ctor_pcs[c] - lo < ph->p_memsz)
        return true;
    }
  return false;
}

/* Adds [start, end) to `m`, merged with any range it overlaps. */
static void add_range(rc_kept_module *m, uintptr_t start, uintptr_t end) {
  if (start >= end)
    return;
  for (uint32_t i = 0; i < m->n_ranges; i++) {
    rc_kept_range *r = &m->ranges[i];
    if (start <= r->end && r->start <= end) {
      uintptr_t s = start < r->start ? start : r->start;
      uintptr_t e = end > r->end ? end : r->end;
      m->ranges[i] = m->ranges[--m->n_ranges];
      add_range(m, s, e);
      return;
    }
  }
  if (m->n_ranges < RC_KEPT_RANGES)
    m->ranges[m->n_ranges++] = (rc_kept_range){start, end, 0};
}

static void *raw_anonymous(size_t len) {
  long r = rc_raw_syscall(SYS_mmap, 0, (long)len, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return r < 0 && r > -4096 ? 0 : (void *)r;
}

static int copy_module(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  struct rc_module_copies *copies = data;
  /* The executable (empty name) and the vDSO never unload. */
  if (!info->dlpi_name || !info->dlpi_name[0] || !contains_ctor(info))
    return 0;
  if (copies->count == copies->cap) {
    uint32_t cap = copies->cap ? 2 * copies->cap : 4;
    copies->modules =
        rc_realloc(copies->modules, copies->cap * sizeof *copies->modules,
                   cap * sizeof *copies->modules);
    copies->cap = cap;
  }
  rc_kept_module *m = &copies->modules[copies->count];
  memset(m, 0, sizeof *m);
  m->base = info->dlpi_addr;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    bool read_only_load =
        ph->p_type == PT_LOAD && (ph->p_flags & PF_R) && !(ph->p_flags & PF_W);
    if (read_only_load || ph->p_type == PT_GNU_RELRO)
      add_range(m, align_down(lo), align_up(lo + ph->p_memsz));
  }
  for (uint32_t r = 0; r < m->n_ranges; r++) {
    rc_kept_range *k = &m->ranges[r];
    k->copy = raw_anonymous(k->end - k->start);
    if (k->copy)
      memcpy(k->copy, (const void *)k->start, k->end - k->start);
  }
  copies->count++;
  return 0;
}

rc_module_copies *rc_copy_instrumented_modules(void) {
  if (!g_ctor_count)
    return 0;
  rc_module_copies *copies = rc_alloc(sizeof *copies);
  dl_iterate_phdr(copy_module, copies);
  return copies;
}

static int mark_loaded(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  struct rc_module_copies *copies = data;
  for (uint32_t i = 0; i < copies->count; i++)
    if (copies->modules[i].base == info->dlpi_addr && info->dlpi_name &&
        info->dlpi_name[0])
      copies->modules[i].loaded = true;
  return 0;
}

/* Puts `k`'s copy back at its address, unless something else is mapped
 * there by now; true if it did. */
static bool put_back(rc_kept_range *k) {
  long len = (long)(k->end - k->start);
  long at =
      rc_raw_syscall(SYS_mmap, (long)k->start, len, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (at != (long)k->start) {
    if (at >= 0 || at < -4095)
      rc_raw_syscall(SYS_munmap, at, len, 0, 0, 0, 0);
    return false;
  }
  long moved = rc_raw_syscall(SYS_mremap, (long)k->copy, len, len,
                              MREMAP_MAYMOVE | MREMAP_FIXED, (long)k->start, 0);
  if (moved != (long)k->start)
    return false;
  rc_raw_syscall(SYS_mprotect, (long)k->start, len, PROT_READ, 0, 0, 0);
  return true;
}

/* Drops the constructor addresses inside an unloaded module's ranges, so a
 * module loaded later where its code was is not taken for it. */
static void forget_ctors(const rc_kept_module *m) {
  size_t kept = 0;
  for (size_t c = 0; c < g_ctor_count; c++) {
    bool inside = false;
    for (uint32_t r = 0; r < m->n_ranges; r++)
      inside |= g_ctor_pcs[c] - m->ranges[r].start <
                m->ranges[r].end - m->ranges[r].start;
    if (!inside)
      g_ctor_pcs[kept++] = g_ctor_pcs[c];
  }
  g_ctor_count = kept;
}

void rc_keep_unloaded_modules(rc_module_copies *copies) {
  if (!copies)
    return;
  dl_iterate_phdr(mark_loaded, copies);
  for (uint32_t i = 0; i < copies->count; i++) {
    rc_kept_module *m = &copies->modules[i];
    for (uint32_t r = 0; r < m->n_ranges; r++) {
      rc_kept_range *k = &m->ranges[r];
      if (k->copy && (m->loaded || !put_back(k)))
        rc_raw_syscall(SYS_munmap, (long)k->copy, (long)(k->end - k->start), 0,
                       0, 0, 0);
    }
    if (!m->loaded)
      forget_ctors(m);
  }
  rc_free(copies->modules, copies->cap * sizeof *copies->modules);
  rc_free(copies, sizeof *copies);
}
