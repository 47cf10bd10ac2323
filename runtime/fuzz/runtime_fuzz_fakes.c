/* runtime_fuzz_fakes.c — stand-ins for the parts of the runtime the fuzzed
 * readers and parsers lean on. The arena (rt_alloc.c) is replaced by malloc,
 * so AddressSanitizer sees every allocation's bounds and LeakSanitizer every
 * leak; rc_fatal returns to the target, because refusing a malformed input is
 * the reader's job, not a crash. The rest of the runtime (scheduler, record
 * state) is absent: the functions schedule_writer.c needs besides
 * rc_op_token only have to link. */
#include "runtime_fuzz_fakes.h"

#include "record/schedule.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

rc_runtime g_rt;
__thread rc_thread *rc_self __attribute__((tls_model("initial-exec")));

jmp_buf rc_fuzz_refused;
int rc_fuzz_armed;

/* Every live allocation of the current input, freed by rc_fuzz_free_all. */
static void **live;
static size_t n_live, cap_live;

static void remember(void *p) {
  if (n_live == cap_live) {
    cap_live = cap_live ? cap_live * 2 : 64;
    live = realloc(live, cap_live * sizeof *live);
    if (!live)
      abort();
  }
  live[n_live++] = p;
}

void rc_fuzz_free_all(void) {
  for (size_t i = 0; i < n_live; i++)
    free(live[i]);
  n_live = 0;
}

void *rc_alloc(size_t size) {
  void *p = calloc(1, size ? size : 1);
  if (!p)
    abort();
  remember(p);
  return p;
}

void *rc_realloc(void *p, size_t old_size, size_t new_size) {
  void *q = rc_alloc(new_size);
  if (p)
    memcpy(q, p, old_size < new_size ? old_size : new_size);
  return q; /* p is freed with the rest of the input's memory */
}

void rc_free(void *p, size_t size) { (void)p, (void)size; }

char *rc_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(rc_alloc(n), s, n);
}

void rc_fatal(const char *fmt, ...) {
  if (!rc_fuzz_armed) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    abort();
  }
  longjmp(rc_fuzz_refused, 1);
}

long rc_raw_syscall(long number, long a1, long a2, long a3, long a4, long a5,
                    long a6) {
  long r = syscall(number, a1, a2, a3, a4, a5, a6);
  return r == -1 ? -(long)errno : r; /* kernel convention, like the real one */
}

/* Messages are the refusal; the fuzzer does not need to see them. */
void rc_write_stderr(const char *s) { (void)s; }

/* Only to link schedule_writer.c (the targets call its rc_op_token). */
void rc_switches_write(struct rc_out *o) { (void)o; }
uint64_t rc_switches_preemptions(void) { return 0; }
void rc_race_targets_write(struct rc_out *o) { (void)o; }
const char *rc_binary_identity(void) { return ""; }
