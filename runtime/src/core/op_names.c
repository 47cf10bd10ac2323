/* op_names.c — the names of the visible operations (rc_op_kind) that
 * reports, verbose messages and schedule files use. A table of its own, so
 * that the detectors and writers naming an operation do not depend on the
 * scheduler. */
#include "core/runtime.h"

const char *rc_op_name(rc_op_kind kind) {
  static const char *const names[RC_OP_COUNT] = {
      [RC_OP_NONE] = "none",
      [RC_OP_THREAD_START] = "thread start",
      [RC_OP_THREAD_CREATE] = "pthread_create",
      [RC_OP_THREAD_JOIN] = "pthread_join",
      [RC_OP_THREAD_EXIT] = "thread exit",
      [RC_OP_MUTEX_LOCK] = "mutex lock",
      [RC_OP_MUTEX_TRYLOCK] = "mutex trylock",
      [RC_OP_MUTEX_UNLOCK] = "mutex unlock",
      [RC_OP_RWLOCK_RDLOCK] = "rwlock read lock",
      [RC_OP_RWLOCK_WRLOCK] = "rwlock write lock",
      [RC_OP_RWLOCK_TRYRDLOCK] = "rwlock try read lock",
      [RC_OP_RWLOCK_TRYWRLOCK] = "rwlock try write lock",
      [RC_OP_RWLOCK_UNLOCK] = "rwlock unlock",
      [RC_OP_COND_WAIT] = "condition wait",
      [RC_OP_COND_SIGNAL] = "condition signal",
      [RC_OP_COND_BROADCAST] = "condition broadcast",
      [RC_OP_SEM_WAIT] = "semaphore wait",
      [RC_OP_SEM_TRYWAIT] = "semaphore trywait",
      [RC_OP_SEM_POST] = "semaphore post",
      [RC_OP_BARRIER_WAIT] = "barrier wait",
      [RC_OP_ONCE] = "pthread_once",
      [RC_OP_GUARD_ACQUIRE] = "static initialisation",
      [RC_OP_GUARD_RELEASE] = "static initialisation done",
      [RC_OP_FUTEX_WAIT] = "futex wait",
      [RC_OP_FUTEX_WAKE] = "futex wake",
      [RC_OP_ATOMIC_LOAD] = "atomic load",
      [RC_OP_ATOMIC_STORE] = "atomic store",
      [RC_OP_ATOMIC_RMW] = "atomic read-modify-write",
      [RC_OP_ATOMIC_CMPXCHG] = "atomic compare-exchange",
      [RC_OP_ATOMIC_FENCE] = "atomic fence",
      [RC_OP_YIELD] = "yield",
      [RC_OP_SLEEP] = "sleep",
      [RC_OP_PREEMPT] = "preemption",
      [RC_OP_IO_RETURN] = "return from I/O",
      [RC_OP_SPIN_WAIT] = "spin wait",
      [RC_OP_MEMORY_ACCESS] = "memory access",
      [RC_OP_SPURIOUS_WAKEUP] = "spurious wakeup",
      [RC_OP_SYSCALL] = "a system call",
  };
  return kind < RC_OP_COUNT && names[kind] ? names[kind] : "unknown";
}
