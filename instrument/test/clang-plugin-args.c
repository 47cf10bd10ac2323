// -fplugin-arg-racecheck-<arg> switches parts off; an unknown argument is an
// error that names the valid ones. -mllvm -racecheck-* options work too.
// RUN: not %clang -fplugin=%plugin -fplugin-arg-racecheck-bogus -c %s -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// BAD: error: racecheck plugin: unknown argument 'bogus' (-fplugin-arg-racecheck-bogus); valid arguments: no-memory, no-atomics, no-memintrinsics, no-calls, no-func-entry-exit, no-globals
//
// RUN: %clang -fplugin=%plugin -O1 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=ALL
// RUN: %clang -fplugin=%plugin -fplugin-arg-racecheck-no-atomics -O1 -S -emit-llvm %s -o - \
// RUN:   | FileCheck %s --check-prefix=NOATOMICS --implicit-check-not="call void @__racecheck_atomic_op"
// RUN: %clang -fplugin=%plugin -fplugin-arg-racecheck-no-memory -fplugin-arg-racecheck-no-calls \
// RUN:   -O1 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=NOMEMORY \
// RUN:   --implicit-check-not=__racecheck_read --implicit-check-not=__racecheck_write \
// RUN:   --implicit-check-not="store ptr @__racecheck_site"
// RUN: %clang -fplugin=%plugin -fplugin-arg-racecheck-no-func-entry-exit -fplugin-arg-racecheck-no-globals \
// RUN:   -O1 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=NOFUNC \
// RUN:   --implicit-check-not="call void @__racecheck_func_" --implicit-check-not=@__racecheck_globals
// RUN: %clang -fplugin=%plugin -mllvm -racecheck-instrument-atomics=false -O1 -S -emit-llvm %s -o - \
// RUN:   | FileCheck %s --check-prefix=NOATOMICS --implicit-check-not="call void @__racecheck_atomic_op"

int plain;
_Atomic int atomic;
void callee(void);

// ALL-LABEL: define {{.*}}void @f(
// ALL:         call void @__racecheck_func_entry(
// ALL:         call void @__racecheck_write4(ptr @plain,
// ALL:         call void @__racecheck_atomic_op(ptr @atomic,
// ALL:         store ptr @{{__racecheck_site[.0-9]*}}, ptr @__racecheck_call_site
// ALL:         call void @__racecheck_func_exit()
// NOATOMICS-LABEL: define {{.*}}void @f(
// NOATOMICS:     call void @__racecheck_write4(ptr @plain,
// NOATOMICS:     store atomic i32 1, ptr @atomic seq_cst
// NOMEMORY-LABEL: define {{.*}}void @f(
// NOMEMORY:      call void @__racecheck_atomic_op(ptr @atomic,
// NOMEMORY:      call void @__racecheck_func_exit()
// NOFUNC-LABEL: define {{.*}}void @f(
// NOFUNC:        call void @__racecheck_write4(ptr @plain,
// NOFUNC:        call void @__racecheck_atomic_op(ptr @atomic,
// NOFUNC-LABEL: define internal void @__racecheck_module_ctor()
// NOFUNC-NEXT:     call void @__racecheck_init(i32 1)
// NOFUNC-NEXT:     ret void
void f(void) {
  plain = 1;
  atomic = 1;
  callee();
}
