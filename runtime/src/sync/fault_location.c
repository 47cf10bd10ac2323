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

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
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

/* The module holding `pc`: its path and the start of its mapping at file
 * offset 0 (the load base for a position-independent module). */
static bool find_module(uintptr_t pc, uint64_t *base, char *path_out,
                        size_t path_size) {
  long fd =
      rc_raw_syscall(SYS_open, (long)"/proc/self/maps", O_RDONLY, 0, 0, 0, 0);
  if (fd < 0)
    return false;
  static char buf[16384];
  static char module[512]; /* path of the latest mapping at offset 0 */
  uintptr_t module_base = 0;
  module[0] = 0;
  size_t have = 0;
  bool found = false;
  for (;;) {
    long n = rc_raw_syscall(SYS_read, fd, (long)(buf + have),
                            (long)(sizeof buf - 1 - have), 0, 0, 0);
    if (n <= 0)
      break;
    have += (size_t)n;
    buf[have] = 0;
    char *line = buf, *nl;
    while (!found && (nl = strchr(line, '\n'))) {
      *nl = 0;
      uintptr_t start, end;
      uint64_t offset;
      const char *path;
      if (parse_map_line(line, &start, &end, &offset, &path) && path) {
        if (offset == 0 && strlen(path) < sizeof module) {
          strcpy(module, path);
          module_base = start;
        }
        if (start <= pc && pc < end && strcmp(path, module) == 0 &&
            strlen(path) < path_size) {
          strcpy(path_out, path);
          *base = module_base;
          found = true;
        }
      }
      line = nl + 1;
    }
    if (found)
      break;
    have = (size_t)(buf + have - line);
    memmove(buf, line, have);
    if (have >= sizeof buf - 1)
      have = 0; /* absurdly long line: drop it */
  }
  rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
  return found;
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
