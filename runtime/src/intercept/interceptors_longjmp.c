/* interceptors_longjmp.c — longjmp and its variants: a jump skips the exit
 * hooks of every instrumented frame it leaves, so before jumping the shadow
 * call stack is cut back to the frame that resumes, found by the stack
 * pointer saved in the jmp_buf (as ThreadSanitizer does). Only memory of the
 * calling thread is touched, so this is safe in a signal handler. */
#include "sched/scheduler.h"

#include <setjmp.h>

static void (*real_longjmp)(struct __jmp_buf_tag *, int);
static void (*real__longjmp)(struct __jmp_buf_tag *, int);
static void (*real_siglongjmp)(struct __jmp_buf_tag *, int);
static void (*real___longjmp_chk)(struct __jmp_buf_tag *, int);

/* The stack pointer of the setjmp caller, saved in `env`; 0 when its format
 * is unknown here (the exit hook then drops the skipped frames lazily). */
static uintptr_t rc_jmp_buf_sp(struct __jmp_buf_tag *env) {
#if defined(__x86_64__) && defined(__GLIBC__)
  /* glibc stores it mangled (PTR_MANGLE): xor with the pointer guard in the
   * thread control block, then rotate left by 17 bits. */
  uintptr_t guard, v = (uintptr_t)env->__jmpbuf[6];
  __asm__("mov %%fs:0x30, %0" : "=r"(guard));
  return ((v >> 17) | (v << 47)) ^ guard;
#else
  (void)env;
  return 0;
#endif
}

/* Drop the shadow frames of the functions the jump leaves: those whose entry
 * hook ran below the frame an entry hook called at the setjmp caller's stack
 * pointer would have had. The setjmp caller's own frame lies at or above it. */
static void rc_unwind_for_longjmp(struct __jmp_buf_tag *env) {
  rc_thread *t = rc_self;
  uintptr_t sp = rc_jmp_buf_sp(env);
  if (!t || !sp)
    return;
  uintptr_t floor = sp - 2 * sizeof(void *);
  uint32_t depth = t->depth;
  while (depth && t->frame_sp[depth - 1] < floor)
    depth--;
  t->depth = depth;
  t->current_stack = depth ? t->stack[depth - 1] : 0;
}

#define RC_LONGJMP_INTERCEPTOR(fn, real)                                       \
  RC_INTERCEPT __attribute__((noreturn)) void fn(struct __jmp_buf_tag *env,    \
                                                 int val) {                    \
    RC_REAL(real, #fn);                                                        \
    rc_unwind_for_longjmp(env);                                                \
    real(env, val);                                                            \
    __builtin_unreachable();                                                   \
  }

RC_LONGJMP_INTERCEPTOR(longjmp, real_longjmp)
RC_LONGJMP_INTERCEPTOR(_longjmp, real__longjmp)
RC_LONGJMP_INTERCEPTOR(siglongjmp, real_siglongjmp)
RC_LONGJMP_INTERCEPTOR(__longjmp_chk, real___longjmp_chk)
