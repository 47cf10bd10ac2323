/* fault_location.c — where a fatal signal trapped: the program counter of
 * the faulting instruction (from the signal's context) and the module that
 * holds it, found in /proc/self/maps, for the crash finding's `fault`
 * record entry. The analyzer turns (pc - module base, module) into the
 * function and line from the module's debug information, so a crash in a
 * function that makes no instrumented call before trapping (a missing
 * return's trap, a fault in an uninstrumented leaf) names the trapping
 * line, not the last instrumented site. Runs in the crash handler: raw
 * system calls, a static buffer, no stdio, no malloc. */
#include "sync/signals.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

static uint64_t context_pc(const void *context) {
  const ucontext_t *uc = context;
#if defined(__x86_64__)
  return (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
  return (uint64_t)uc->uc_mcontext.pc;
#else
  (void)uc;
  return 0;
#endif
}

/* One /proc/self/maps line "START-END PERMS OFFSET DEV INODE PATH": its
 * range, file offset and path (null when anonymous). */
static bool parse_map_line(char *line, uintptr_t *start, uintptr_t *end,
                           uint64_t *offset, const char **path) {
  char *p;
  *start = strtoull(line, &p, 16);
  if (*p != '-')
    return false;
  *end = strtoull(p + 1, &p, 16);
  while (*p == ' ')
    p++;
  while (*p && *p != ' ') /* perms */
    p++;
  *offset = strtoull(p, &p, 16);
  for (int field = 0; field < 2; field++) { /* dev, inode */
    while (*p == ' ')
      p++;
    while (*p && *p != ' ')
      p++;
  }
  while (*p == ' ')
    p++;
  *path = *p == '/' ? p : 0;
  return true;
}

typedef struct rc_module_search {
  uintptr_t pc;
  char module[512]; /* path of the latest mapping at file offset 0 */
  uintptr_t module_base;
  char *path_out;
  size_t path_size;
  uint64_t *base;
} rc_module_search;

/* One line: remember where a module starts; stop at the one holding pc. */
static bool holds_pc(char *line, void *ctx) {
  rc_module_search *s = ctx;
  uintptr_t start, end;
  uint64_t offset;
  const char *path;
  if (!parse_map_line(line, &start, &end, &offset, &path) || !path)
    return false;
  if (offset == 0 && strlen(path) < sizeof s->module) {
    strcpy(s->module, path);
    s->module_base = start;
  }
  if (start <= s->pc && s->pc < end && strcmp(path, s->module) == 0 &&
      strlen(path) < s->path_size) {
    strcpy(s->path_out, path);
    *s->base = s->module_base;
    return true;
  }
  return false;
}

/* The module holding `pc`: its path and the start of its mapping at file
 * offset 0 (the load base for a position-independent module). */
static bool find_module(uintptr_t pc, uint64_t *base, char *path_out,
                        size_t path_size) {
  static rc_module_search search;
  search = (rc_module_search){
      .pc = pc, .path_out = path_out, .path_size = path_size, .base = base};
  return rc_proc_maps_scan(holds_pc, &search);
}

void rc_fault_locate(rc_finding *f, const void *context) {
  if (!context)
    return;
  uint64_t pc = context_pc(context);
  static char path[512];
  uint64_t base = 0;
  if (!pc || !find_module((uintptr_t)pc, &base, path, sizeof path))
    return;
  size_t len = strlen(path) + 1;
  char *copy = rc_alloc(len);
  memcpy(copy, path, len);
  f->fault_pc = pc;
  f->fault_module_base = base;
  f->fault_module = copy;
}
