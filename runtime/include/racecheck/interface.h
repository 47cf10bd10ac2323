/* racecheck/interface.h — the one ABI between instrumented code and the
 * racecheck runtime. The compiler plugin emits calls to these functions only.
 *
 * Rules (as for TSan's tsan_interface.h and rr's preload_interface.h):
 *  - include no other header; plain C types only;
 *  - every symbol carries the __racecheck_ prefix and C linkage;
 *  - any change to a signature or to a descriptor layout bumps
 *    RACECHECK_ABI_VERSION; __racecheck_init refuses a mismatch.
 */
#ifndef RACECHECK_INTERFACE_H
#define RACECHECK_INTERFACE_H

#ifdef __cplusplus
extern "C" {
#endif

#define RACECHECK_ABI_VERSION 1

/* A source position, emitted by the plugin as a constant. `function` is the
 * linkage (possibly mangled) name of the innermost subprogram; `inlined_at`
 * points to the call site this position was inlined into, or is null. */
struct __racecheck_site {
  const char *file;
  const char *function;
  unsigned int line;
  unsigned int column;
  const struct __racecheck_site *inlined_at;
};

/* One instrumented global variable. `layout` flattens its type for reports:
 * entries separated by ';', each "path@offset+size" or, for arrays,
 * "path[]@offset+elemsize*count"; paths are dotted field names relative to
 * the variable ("" for the whole variable); entries below an array
 * ("path[].field") have offsets relative to one element. Empty when unknown. */
struct __racecheck_global {
  const void *address;
  unsigned long size;
  const char *name;
  const char *layout;
  const struct __racecheck_site *site; /* where it is declared */
};

/* C11 memory orders as passed by the plugin. */
enum __racecheck_memory_order {
  __racecheck_relaxed = 0,
  __racecheck_consume = 1,
  __racecheck_acquire = 2,
  __racecheck_release = 3,
  __racecheck_acq_rel = 4,
  __racecheck_seq_cst = 5
};

/* Kinds of atomic operation (for __racecheck_atomic_op). */
enum __racecheck_atomic_kind {
  __racecheck_atomic_load = 0,
  __racecheck_atomic_store = 1,
  __racecheck_atomic_rmw = 2,
  __racecheck_atomic_cmpxchg = 3
};

/* Lifecycle: the plugin's module constructor calls these. */
void __racecheck_init(unsigned int abi_version);
void __racecheck_register_globals(const struct __racecheck_global *globals,
                                  unsigned long count);

/* Plain memory accesses, before they happen. */
void __racecheck_read1(const void *addr, const struct __racecheck_site *site);
void __racecheck_read2(const void *addr, const struct __racecheck_site *site);
void __racecheck_read4(const void *addr, const struct __racecheck_site *site);
void __racecheck_read8(const void *addr, const struct __racecheck_site *site);
void __racecheck_read16(const void *addr, const struct __racecheck_site *site);
void __racecheck_write1(void *addr, const struct __racecheck_site *site);
void __racecheck_write2(void *addr, const struct __racecheck_site *site);
void __racecheck_write4(void *addr, const struct __racecheck_site *site);
void __racecheck_write8(void *addr, const struct __racecheck_site *site);
void __racecheck_write16(void *addr, const struct __racecheck_site *site);
void __racecheck_read_range(const void *addr, unsigned long size,
                            const struct __racecheck_site *site);
void __racecheck_write_range(void *addr, unsigned long size,
                             const struct __racecheck_site *site);

/* A store of `new_value` to an object's vtable pointer at `addr` (a
 * constructor's or destructor's), before it happens: a write if it changes
 * the value, else a read. A destructor chain storing the vptr the object
 * already has, while another thread calls a virtual function, is benign (as
 * ThreadSanitizer's __tsan_vptr_update). An addition to ABI version 1: a
 * module that calls it fails to link with a runtime that lacks it. */
void __racecheck_vptr_update(void **addr, void *new_value,
                             const struct __racecheck_site *site);

/* One plain access of `size` bytes repeated over a box of addresses
 *   addr + i0*stride0 + i1*stride1 + i2*stride2,  0 <= id < countd
 * (strides in bytes, possibly negative or overlapping; an unused dimension
 * has count 1). The plugin emits it before a loop nest that cannot
 * synchronize, instead of one check per iteration (static check coalescing,
 * as BigFoot, PLDI'17): the thread's clock cannot change inside such a nest,
 * so one check of every address finds the same races. Reports name `site`
 * and `size`, as the per-iteration check would. Added in ABI version 1. */
void __racecheck_read_box(const void *addr, unsigned long size,
                          unsigned long count0, long stride0,
                          unsigned long count1, long stride1,
                          unsigned long count2, long stride2,
                          const struct __racecheck_site *site);
void __racecheck_write_box(void *addr, unsigned long size, unsigned long count0,
                           long stride0, unsigned long count1, long stride1,
                           unsigned long count2, long stride2,
                           const struct __racecheck_site *site);

/* An atomic operation on `size` bytes at `addr`, called just before it
 * executes. For cmpxchg, `expected` is the comparand zero-extended to 64 bits
 * (ignored for other kinds and for sizes above 8); `failure_order` is the
 * cmpxchg failure order (equal to `order` for other kinds). The runtime may
 * switch threads here; the operation itself runs after the call returns and
 * before any other thread runs. */
void __racecheck_atomic_op(void *addr, unsigned int size, unsigned int kind,
                           unsigned int order, unsigned int failure_order,
                           unsigned long long expected,
                           const struct __racecheck_site *site);
void __racecheck_atomic_fence(unsigned int order,
                              const struct __racecheck_site *site);

/* Integer read-modify-write operations (for __racecheck_atomic_int_rmw). */
enum __racecheck_rmw_op {
  __racecheck_rmw_xchg = 0,
  __racecheck_rmw_add = 1,
  __racecheck_rmw_sub = 2,
  __racecheck_rmw_and = 3,
  __racecheck_rmw_or = 4,
  __racecheck_rmw_xor = 5
};

/* An integer read-modify-write `op` of `size` (1, 2, 4 or 8) bytes at
 * `addr` with `operand` (zero-extended), called just before it executes:
 * the same as __racecheck_atomic_op(addr, size, __racecheck_atomic_rmw,
 * order, order, 0, site), but the runtime knows whether the operation can
 * leave the value unchanged (an add of a non-zero operand cannot), which is
 * all the spin-lock tracking needs to know, so it need not read the
 * location around the operation. The plugin uses __racecheck_atomic_op for
 * other RMWs (floating point, min/max, nand, wider). An addition to ABI
 * version 1: a module that calls it fails to link with a runtime that
 * lacks it. */
void __racecheck_atomic_int_rmw(void *addr, unsigned int size, unsigned int op,
                                unsigned int order, unsigned long long operand,
                                const struct __racecheck_site *site);

/* Function entry and exit (exit also on exceptional unwind). `function` is
 * the function's own position (its declaration line). */
void __racecheck_func_entry(const struct __racecheck_site *function);
void __racecheck_func_exit(void);

/* The plugin stores the call's site here before each call from instrumented
 * code, so the callee's frame (or an intercepted libc call such as malloc)
 * knows where it was called from. Initial-exec TLS, defined by the runtime. */
extern __thread const struct __racecheck_site *__racecheck_call_site;

/* User annotations (callable from source; declared in racecheck/annotations.h).
 */
void __racecheck_progress(void);
void __racecheck_spin_wait(void);
void __racecheck_benign_race(const volatile void *addr, unsigned long size);
void __racecheck_ignore_reads_begin(void);
void __racecheck_ignore_reads_end(void);
void __racecheck_ignore_writes_begin(void);
void __racecheck_ignore_writes_end(void);
void __racecheck_happens_before(const volatile void *addr);
void __racecheck_happens_after(const volatile void *addr);
void __racecheck_lock_name(const volatile void *lock, const char *name);

/* Empty and never inlined: the runtime calls it where the options
 * debug_stop_finding / debug_stop_step say, so a debugger that breaks on it
 * stops a replay at a finding (`racecheck replay --gdb`). */
void __racecheck_debug_stop(void);

#ifdef __cplusplus
}
#endif
#endif /* RACECHECK_INTERFACE_H */
